"""The formats `import` reads (here, without imports: the command line's parser lists them, and
`validate --help` should not load numpy and GDAL for that)."""

FORMATS = ("auto", "lmvw", "gelderland", "zuid-holland", "zeeland", "table")
PROVINCE_FORMATS = ("gelderland", "zuid-holland", "zeeland")
