#!/usr/bin/env python3
"""Fails when a target imports a module it does not declare in Package.swift.

An incremental build hides the mistake (the module is already built), a clean one races and may
compile the importer first: CI failed that way once (LedgerCoreTests imported Crypto). SwiftPM
has no such check of its own, so `make test` runs this one before building.
"""
import glob
import json
import re
import subprocess
import sys

# Modules every target may import without declaring them: the toolchain's own.
TOOLCHAIN = {"Foundation", "FoundationEssentials", "Testing", "Dispatch", "Synchronization", "Glibc", "Darwin"}
IMPORT = re.compile(r"^\s*(?:@testable\s+|@_exported\s+|package\s+|public\s+|internal\s+)*import\s+(?:struct\s+|enum\s+|class\s+|func\s+)?(\w+)")

package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
# A product's name is its module's name in every package we depend on, so a declared product
# name stands for the module.
problems = []
for target in package["targets"]:
    declared = set()
    for dependency in target["dependencies"]:
        for kind, value in dependency.items():
            declared.add(value[0])
    path = target.get("path") or ("Tests/" if target["type"] == "test" else "Sources/") + target["name"]
    for source in sorted(glob.glob(path + "/**/*.swift", recursive=True)):
        with open(source, encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                match = IMPORT.match(line)
                if not match:
                    continue
                module = match.group(1)
                if module in TOOLCHAIN or module == target["name"] or module in declared:
                    continue
                problems.append(f"{source}:{number}: imports {module}, which target {target['name']} does not declare")
if problems:
    print("\n".join(problems), file=sys.stderr)
    print("add each module to the target's dependencies in Package.swift", file=sys.stderr)
    sys.exit(1)
