"""Fill translations in a .ts file from a JSON map {source: translation} (maintainer tool)."""
import json
import sys
import xml.etree.ElementTree as ET


def main(ts_path: str, json_path: str) -> int:
    with open(json_path, encoding="utf-8") as fh:
        mapping = json.load(fh)
    tree = ET.parse(ts_path)
    done = 0
    for msg in tree.iter("message"):
        src = msg.findtext("source")
        if src in mapping:
            tr = msg.find("translation")
            tr.text = mapping[src]
            tr.attrib.pop("type", None)
            done += 1
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    print(f"{done} translations filled")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
