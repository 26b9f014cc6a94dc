"""The lowest floor: helpers that several layers use (the standard, rules, storage, delivery and the
QGIS side alike), so they import nothing of the plugin and nothing of QGIS."""
