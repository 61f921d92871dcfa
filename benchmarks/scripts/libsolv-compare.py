#!/usr/bin/python3
"""Solves the copy benchmark's request with libsolv and compares the package sets.

Usage (after `benchmarks/run copy --out DIR`):
    /usr/bin/python3 benchmarks/scripts/libsolv-compare.py --data ../shared/data --result DIR

Reads DIR/sample.txt (the requested AppStream packages, one label per line) and DIR/airlock.txt
(every unit Airlock's copy added as "TYPE:LABEL<tab>reason", then its unresolved requirements after
a line "# unresolved"). Loads the same primary metadata (CS9 BaseOS + AppStream) into a libsolv pool
with rpm rules, installs each requested package into an empty system, and compares the union of
the packages libsolv would install with Airlock's set. Needs Debian's python3-solv.
"""
import argparse
import gzip
import os
import sys
import time

try:
    import solv
except ImportError:
    sys.exit("python3-solv is not installed (apt-get install python3-solv)")


def load(pool, name, primary):
    repo = pool.add_repo(name)
    with gzip.open(primary, "rb") as compressed:
        data = compressed.read()
    path = "/tmp/libsolv-%s-primary.xml" % name
    with open(path, "wb") as out:
        out.write(data)
    fp = solv.xfopen(path)
    repo.add_rpmmd(fp, None, 0)
    fp.close()
    os.unlink(path)
    return repo


def primary_of(repo_dir):
    repodata = os.path.join(repo_dir, "repodata")
    for entry in os.listdir(repodata):
        if entry.endswith("-primary.xml.gz"):
            return os.path.join(repodata, entry)
    sys.exit("no primary.xml.gz in " + repodata)


def label(s):
    # libsolv prints name-[epoch:]version-release.arch, as Airlock labels packages.
    return str(s)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--result", required=True)
    args = parser.parse_args()

    sample = [l.strip() for l in open(os.path.join(args.result, "sample.txt")) if l.strip()]
    airlock, unresolved, section, reasons = set(), [], "added", {}
    for line in open(os.path.join(args.result, "airlock.txt")):
        line = line.rstrip("\n")
        if line == "# unresolved":
            section = "unresolved"
        elif line and section == "added":
            unit, reason = line.split("\t")
            reasons[unit] = reason
            if unit.startswith("rpm.package:"):
                airlock.add(unit[len("rpm.package:"):])
        elif line:
            unresolved.append(line)

    started = time.perf_counter()
    pool = solv.Pool()
    pool.setdisttype(solv.Pool.DISTTYPE_RPM)
    pool.setarch("x86_64")
    load(pool, "baseos", primary_of(os.path.join(args.data, "cs9-baseos")))
    load(pool, "appstream", primary_of(os.path.join(args.data, "cs9-appstream")))
    system = pool.add_repo("@System")
    pool.installed = system
    pool.addfileprovides()
    pool.createwhatprovides()
    loaded = time.perf_counter()

    by_label = {}
    for s in pool.solvables_iter():
        if s.repo != system:
            by_label.setdefault(label(s), s)
    missing = [p for p in sample if p not in by_label]
    if missing:
        sys.exit("sample packages unknown to libsolv: %s" % missing[:5])

    # Airlock computes a closure over requirements, without install-conflict semantics, so each
    # requested package is solved on its own and the installs are united. A joint solve (one
    # transaction for all 100) is timed too, for reference; its problems are counted.
    union, problems, unsolvable = set(), 0, set()
    for p in sample:
        solver = pool.Solver()
        solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
        job = pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE, by_label[p].id)
        if solver.solve([job]):
            problems += 1
            unsolvable.add(p)
            continue
        union.update(label(s) for s in solver.transaction().newsolvables())
    each = time.perf_counter()

    solver = pool.Solver()
    solver.set_flag(solv.Solver.SOLVER_FLAG_IGNORE_RECOMMENDED, 1)
    joint_problems = solver.solve([pool.Job(solv.Job.SOLVER_INSTALL | solv.Job.SOLVER_SOLVABLE, by_label[p].id) for p in sample])
    joint = time.perf_counter()

    print("libsolv %s: load %.2f s, %d per-package solves %.2f s (%d with problems), joint solve %.2f s (%d problems)"
          % (solv.__file__ and "python3-solv", loaded - started, len(sample), each - loaded, problems, joint - each,
             len(joint_problems)))
    both = union & airlock
    only_airlock = sorted(airlock - union)
    only_libsolv = sorted(union - airlock)
    print("packages: airlock %d, libsolv %d, both %d, only airlock %d, only libsolv %d"
          % (len(airlock), len(union), len(both), len(only_airlock), len(only_libsolv)))
    # Why a unit came along in Airlock, followed up to what started its chain.
    def chain(unit):
        seen = []
        while unit in reasons and unit not in seen:
            seen.append(unit)
            reason = reasons[unit]
            if reason == "requested":
                break
            parent = reason.split(" ", 2)[2].split(" via ")[0] if reason.startswith("dependency of ") else reason[len("child of "):]
            unit = parent
        return seen

    def why(label_):
        units = chain("rpm.package:" + label_)
        if any(u.startswith("rpm.modulemd:") for u in units):
            return "module: a module build brought it (or brought what needs it)"
        root = units[-1][len("rpm.package:"):] if units else None
        if root in unsolvable:
            return "requested package libsolv cannot install (holes in the data), or its dependency"
        return "other (provider choice)"

    groups = {}
    for item in only_airlock:
        groups.setdefault(why(item), []).append(item)
    for reason, items in sorted(groups.items()):
        print("only airlock, %s: %d" % (reason, len(items)))
        for item in items[:15]:
            print("    " + item)
    print("only libsolv: %d" % len(only_libsolv))
    for item in only_libsolv:
        print("    " + item)
    print("airlock unresolved requirements: %d" % len(unresolved))
    for item in unresolved[:20]:
        print("  " + item)


if __name__ == "__main__":
    main()
