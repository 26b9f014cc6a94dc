"""The members of an LMVW package (basisset-2.0.md §6). Nothing but names, so that the command line
can name them before its heavy imports (zipread's digests ahead)."""

GPKG = "woningbouwplannen.gpkg"
PLANS_CSV = "woningbouwplannen.csv"
FASERING_CSV = "fasering.csv"
MANIFEST = "manifest.json"
REPORT = "validatierapport.html"
FILES = [GPKG, PLANS_CSV, FASERING_CSV, REPORT]          # the manifest lists these
