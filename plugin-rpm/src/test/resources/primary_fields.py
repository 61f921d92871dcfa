"""Prints every package of a yum repository's primary.xml as createrepo_c's own reader sees it.

One JSON object per line, sorted, with every field but the location (href and base): two
repositories holding the same packages print the same lines. Usage: primary_fields.py REPODIR
"""
import json
import os
import sys

import createrepo_c as cr

FIELDS = ["name", "epoch", "version", "release", "arch", "pkgId", "checksum_type", "summary", "description", "url",
          "rpm_packager", "time_file", "time_build", "size_package", "size_installed", "size_archive", "rpm_license",
          "rpm_vendor", "rpm_group", "rpm_buildhost", "rpm_sourcerpm", "rpm_header_start", "rpm_header_end",
          "requires", "provides", "conflicts", "obsoletes", "suggests", "enhances", "recommends", "supplements", "files"]

root = sys.argv[1]
repomd = cr.Repomd(os.path.join(root, "repodata", "repomd.xml"))
primary = [r for r in repomd.records if r.type == "primary"][0]
lines = []


def package(pkg):
    lines.append(json.dumps({field: getattr(pkg, field) for field in FIELDS}, sort_keys=True))
    return True


cr.xml_parse_primary(os.path.join(root, primary.location_href), pkgcb=package, do_files=True)
for line in sorted(lines):
    print(line)
