#!/usr/bin/env python3
"""Compares the public API of a real rusqlite release with a dbcompat surface, from rustdoc's
JSON output (scripts/surface-diff.sh builds both and calls this).

For every public struct, enum, trait and function reachable from the real crate's root, it
reports what dbcompat's surface (the crate root for 0.34, `v0_40` or `v0_43`) lacks:
  MISSING       the item itself
  TRAITS        trait impls (auto traits included; `Drop` and the unstable `Freeze` are left out)
  METHODS       inherent methods
  VARIANTS / FIELDS   enum variants, public struct fields
  TRAITMETHODS / BOUNDS   a trait's methods and supertraits
  IMPLEMENTORS  types a trait is implemented for (e.g. `ToSql for time::UtcDateTime`)
  SIG           (with --signatures) a method whose rendered signature differs
Types are rendered by their last path segment, so `rusqlite::Error` and `v0_40::Error` match
(`From` sources keep their crate when it is another one: `csv::Error`).
Extra items on dbcompat's side are not reported: a superset compiles the same user code.
Known, documented differences still show (see docs/turso-backend.md, section 1d).
"""

import argparse
import json

IGNORED_TRAITS = {"Drop", "Freeze", "!Freeze"}

# Reported lines that are known and explained: (the whole line, or its start up to a ':', why).
# Anything else is printed as NEW and makes the exit status 1.
KNOWN = [
    ("METHODS Connection: ['collation_needed']", "not provided on any surface (src/collation.rs)"),
    ("METHODS Connection: ['collation_needed', 'set_errmsg']",
     "set_errmsg needs sqlite3_set_errmsg (SQLite 3.51); libSQL's engine is 3.47"),
    ("IMPLEMENTORS Params: ['(T)']", "the same one-tuple impl, its parameter named A"),
    ("MISSING ffi (external)", "ffi is libSQL's (src/ffi.rs), rustdoc cannot follow it"),
    ("KIND vtab::sqlite3_vtab: external, dbcompat type", "dbcompat's own layout-identical structs with Default (docs/turso-backend.md)"),
    ("KIND vtab::sqlite3_vtab_cursor: external, dbcompat type", "dbcompat's own layout-identical structs with Default (docs/turso-backend.md)"),
    ("MISSING config::DbConfig (type)", "a re-export of the core's DbConfig, doc(hidden) at the root"),
    ("MISSING named_params (macro)", "#[macro_export] macros live at dbcompat's root; the facades re-export them"),
    ("MISSING params (macro)", "#[macro_export] macros live at dbcompat's root; the facades re-export them"),
    ("METHODS vtab::IndexInfo:", "reached through Deref to the core IndexInfo: method calls compile, UFCS paths do not"),
]


def render(t):
    """A type as short text: last path segments, generic arguments, references."""
    if t is None:
        return "()"
    kind, v = next(iter(t.items()))
    if kind == "resolved_path":
        return v["path"].split("::")[-1] + render_args(v.get("args"))
    if kind in ("generic", "primitive"):
        return v
    if kind == "borrowed_ref":
        return "&" + ("mut " if v["is_mutable"] else "") + render(v["type"])
    if kind == "slice":
        return "[" + render(v) + "]"
    if kind == "array":
        return "[" + render(v["type"]) + "; N]"
    if kind == "tuple":
        return "(" + ", ".join(render(x) for x in v) + ")"
    if kind == "raw_pointer":
        return "*" + ("mut " if v["is_mutable"] else "const ") + render(v["type"])
    if kind == "impl_trait":
        return "impl " + "+".join(render_bound(b) for b in v)
    if kind == "dyn_trait":
        return "dyn " + "+".join(render({"resolved_path": p["trait"]}) for p in v["traits"])
    if kind == "qualified_path":
        return render(v["self_type"]) + "::" + v["name"]
    if kind == "function_pointer":
        return "fn(..)"
    return kind


def render_args(args):
    if not args:
        return ""
    if "angle_bracketed" in args:
        parts = [render(a["type"]) for a in args["angle_bracketed"]["args"] if "type" in a]
        return "<" + ", ".join(parts) + ">" if parts else ""
    if "parenthesized" in args:
        p = args["parenthesized"]
        return "(" + ", ".join(render(x) for x in p["inputs"]) + ") -> " + render(p["output"])
    return ""


def render_bound(b):
    return render({"resolved_path": b["trait_bound"]["trait"]}) if "trait_bound" in b else "'_"


def signature(item):
    f = item["inner"]["function"]
    inputs = ", ".join(render(t) for _, t in f["sig"]["inputs"])
    bounds = [
        g["name"] + ":" + "+".join(sorted(render_bound(b) for b in g["kind"]["type"]["bounds"]))
        for g in f["generics"]["params"]
        if "type" in g["kind"]
    ]
    where = " where " + ", ".join(bounds) if bounds else ""
    return f"({inputs}) -> {render(f['sig']['output'])}{where}"


def from_source(doc, t):
    """The type a `From` impl converts from: its name, with its crate for another crate's type
    (`csv::Error`, `std::ffi::NulError` as `alloc::NulError`...), so that module layouts do
    not matter but `csv::Error` and the crate's own `Error` stay apart."""
    if "resolved_path" not in t:
        return render(t)
    p = doc["paths"].get(str(t["resolved_path"]["id"]))
    if p is None:
        return t["resolved_path"]["path"]
    name = p["path"][-1]
    return name if p["crate_id"] == 0 else p["path"][0] + "::" + name


class Api:
    def __init__(self, path, root):
        self.doc = json.load(open(path))
        self.index = self.doc["index"]
        module = self.index[str(self.doc["root"])]
        for segment in root:
            module = next(
                self.index[str(i)]
                for i in module["inner"]["module"]["items"]
                if self.index[str(i)]["name"] == segment
            )
        self.items = {}
        self.seen = set()
        self.walk(module, "")

    def walk(self, module, prefix):
        for item_id in module["inner"]["module"]["items"]:
            item = self.index.get(str(item_id))
            if item is None or item["visibility"] != "public":
                continue
            if "use" not in item["inner"]:
                self.add(item, prefix + item["name"])
                continue
            use = item["inner"]["use"]
            target = self.index.get(str(use["id"])) if use["id"] is not None else None
            while target is not None and "use" in target["inner"] and not target["inner"]["use"]["is_glob"]:
                target = self.index.get(str(target["inner"]["use"]["id"]))
            if target is None or "use" in target["inner"]:
                self.items[prefix + use["name"]] = ("external", None)
            elif use["is_glob"]:
                if "module" in target["inner"]:
                    self.walk(target, prefix)
            else:
                self.add(target, prefix + use["name"])

    def add(self, item, name):
        kind = next(iter(item["inner"]))
        body = item["inner"][kind]
        if kind == "module":
            if (item["id"], name) not in self.seen:
                self.seen.add((item["id"], name))
                self.walk(item, name + "::")
        elif kind in ("struct", "enum", "union"):
            info = {"traits": set(), "methods": {}, "variants": set(), "fields": set()}
            for impl_id in body.get("impls", []):
                impl = self.index[str(impl_id)]["inner"]["impl"]
                if impl["blanket_impl"] is not None:
                    continue
                if impl["trait"] is None:
                    for m in (self.index[str(i)] for i in impl["items"]):
                        if m["visibility"] == "public" and "function" in m["inner"]:
                            info["methods"][m["name"]] = signature(m)
                    continue
                trait = impl["trait"]["path"].split("::")[-1]
                if trait == "From":
                    trait = "From<" + from_source(self.doc, impl["trait"]["args"]["angle_bracketed"]["args"][0]["type"]) + ">"
                else:
                    trait += render_args(impl["trait"].get("args"))
                info["traits"].add(("!" if impl["is_negative"] else "") + trait)
            if kind == "enum":
                info["variants"] = {self.index[str(v)]["name"] for v in body["variants"]}
            if kind == "struct" and "plain" in body["kind"]:
                fields = (self.index[str(f)] for f in body["kind"]["plain"]["fields"])
                info["fields"] = {f["name"] for f in fields if f["visibility"] == "public"}
            self.items[name] = ("type", info)
        elif kind == "trait":
            methods = {}
            for m in (self.index[str(i)] for i in body["items"]):
                if "function" in m["inner"]:
                    methods[m["name"]] = signature(m)
            implementors = {render(self.index[str(i)]["inner"]["impl"]["for"]) for i in body["implementations"]}
            bounds = sorted(render_bound(b) for b in body["bounds"])
            self.items[name] = ("trait", {"methods": methods, "bounds": bounds, "impls": implementors})
        elif kind == "function":
            self.items[name] = ("fn", signature(item))
        else:
            self.items[name] = (kind, None)


def compare(real, ours, signatures):
    def sig_differs(name, a, b):
        short = name.split("::")[-1]
        return a.replace("Self", short) != b.replace("Self", short)

    for name in sorted(real.items):
        real_kind, r = real.items[name]
        if name not in ours.items:
            yield f"MISSING {name} ({real_kind})"
            continue
        our_kind, o = ours.items[name]
        if real_kind != our_kind:
            yield f"KIND {name}: {real_kind}, dbcompat {our_kind}"
        elif real_kind == "type":
            traits = sorted(r["traits"] - o["traits"] - IGNORED_TRAITS)
            if traits:
                yield f"TRAITS {name}: {traits}"
            for label, key in (("METHODS", "methods"), ("VARIANTS", "variants"), ("FIELDS", "fields")):
                missing = sorted(set(r[key]) - set(o[key]))
                if missing:
                    yield f"{label} {name}: {missing}"
            if signatures:
                for m in sorted(set(r["methods"]) & set(o["methods"])):
                    if sig_differs(name, r["methods"][m], o["methods"][m]):
                        yield f"SIG {name}::{m}\n    real:     {r['methods'][m]}\n    dbcompat: {o['methods'][m]}"
        elif real_kind == "trait":
            missing = sorted(set(r["methods"]) - set(o["methods"]))
            if missing:
                yield f"TRAITMETHODS {name}: {missing}"
            if set(r["bounds"]) - set(o["bounds"]):
                yield f"BOUNDS {name}: {r['bounds']}, dbcompat {o['bounds']}"
            implementors = sorted(r["impls"] - o["impls"])
            if implementors:
                yield f"IMPLEMENTORS {name}: {implementors}"
        elif real_kind == "fn" and signatures and sig_differs(name, r, o):
            yield f"SIG {name}\n    real:     {r}\n    dbcompat: {o}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("real_json", help="rustdoc JSON of real rusqlite")
    parser.add_argument("dbcompat_json", help="rustdoc JSON of dbcompat")
    parser.add_argument("surface", help="dbcompat module of the surface: '' (0.34), v0_40 or v0_43")
    parser.add_argument("--signatures", action="store_true", help="also compare method signatures")
    args = parser.parse_args()
    real = Api(args.real_json, [])
    ours = Api(args.dbcompat_json, [s for s in args.surface.split("::") if s])
    new = 0
    for line in compare(real, ours, args.signatures):
        reason = next(
            (why for known, why in KNOWN
             if line == known or (known.endswith(":") and line.startswith(known))),
            None,
        )
        if reason is None and not line.startswith("SIG "):
            new += 1
            print("NEW", line)
        else:
            print(line if reason is None else f"known: {line}\n    ({reason})")
    return 1 if new else 0


if __name__ == "__main__":
    raise SystemExit(main())
