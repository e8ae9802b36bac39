#!/usr/bin/env python3
"""Generates compat-tests/public_paths_034.rs: one `use` per public item path of rusqlite 0.34.

The file is compiled under real rusqlite 0.34 and under dbcompat (tests `public_paths_rusqlite`
and `public_paths_dbcompat`, plus the `public-paths` crate for feature subsets), so a path
rusqlite has and dbcompat lacks fails the build.

Usage: scripts/gen-public-paths.py [--rusqlite VERSION] [RUSQLITE_SRC_DIR] > OUTPUT
  scripts/gen-public-paths.py > compat-tests/public_paths_034.rs
  scripts/gen-public-paths.py --rusqlite 0.40.2 > compat-tests/public_paths_040.rs
  scripts/gen-public-paths.py --rusqlite 0.43.0 > compat-tests/public_paths_043.rs
The default source dir is rusqlite-VERSION in the cargo registry (`cargo fetch` puts it there).
The newer surfaces' lists are compiled by compat-tests/surfaces/public_paths_*.rs (under real
rusqlite of that version and under dbcompat's `v0_40`/`v0_43` through its facade), which
`include!` them, so their files carry no inner attribute.
The output goes through `rustfmt` when it is installed, so `cargo fmt` leaves it unchanged.

Method: a small Rust lexer strips comments and literals; a recursive item parser walks every
module file from src/lib.rs and records items declared `pub` at module scope (structs, enums,
unions, traits, fns, types, consts, statics, modules, `#[macro_export]` macros and `pub use`
re-exports, globs expanded). `#[doc(hidden)]` items and items only compiled for tests or for
features dbcompat cannot provide (see EXCLUDED_FEATURES) are left out. Each item keeps the
`#[cfg(...)]` of its declaration and enclosing modules, so the generated `use` is gated by the
same rusqlite feature names dbcompat accepts. Enum variants and methods are not paths of their
own and are not listed.
"""
import glob
import io
import os
import re
import shutil
import subprocess
import sys

# Features whose items dbcompat cannot provide: a loadable extension is a different kind of
# library (and rusqlite's removes `auto_extension`), and the SQLCipher builds add no paths.
EXCLUDED_FEATURES = {"loadable_extension", "sqlcipher", "bundled-sqlcipher"}

# rusqlite features whose bindings libsqlite3-sys generates with libclang at build time, which
# the test machines lack: their paths are checked under dbcompat only (the
# `libclang_feature_uses!` macro of the generated file).
NEEDS_LIBCLANG = {"session", "preupdate_hook"}

# rusqlite paths dbcompat does not provide yet, with the reason. The generated file still
# compiles them under real rusqlite (so the list stays true to rusqlite), lists them in
# `KNOWN_GAPS`, and leaves them out of the dbcompat build. Remove an entry once the path exists.
DBCOMPAT_GAPS_034 = {}

# The newer surfaces' gaps (paths under `dbcompat::v0_40`/`v0_43`); a prefix covers the paths
# under it. The core (0.34) versions of most of these work on the same connection through
# `Connection::as_core`.
DBCOMPAT_GAPS_NEWER = {
}

# The 0.43 surface's own gaps, on top of the newer surfaces' shared ones.
DBCOMPAT_GAPS_043 = {
    **DBCOMPAT_GAPS_NEWER,
}

# Per rusqlite version: (default source version, gaps, the output file's name).
VERSIONS = {
    "0.34.0": (DBCOMPAT_GAPS_034, "public_paths_034.rs"),
    "0.40.2": (DBCOMPAT_GAPS_NEWER, "public_paths_040.rs"),
    "0.43.0": (DBCOMPAT_GAPS_043, "public_paths_043.rs"),
}
DBCOMPAT_GAPS = DBCOMPAT_GAPS_034

TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<lcomment>//[^\n]*)
  | (?P<bcomment>/\*)
  | (?P<rawstr>b?r(?P<hashes>\#*)")
  | (?P<str>b?"(?:\\.|[^"\\])*")
  | (?P<char>b?'(?:\\.|\\u\{[0-9a-fA-F]+\}|[^'\\])')
  | (?P<lifetime>'[A-Za-z_][A-Za-z0-9_]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*!?)
  | (?P<num>[0-9][0-9A-Za-z_.]*)
  | (?P<path>::)
  | (?P<punct>.)
    """,
    re.X | re.S,
)


def lex(text):
    """Tokens of Rust source without whitespace, comments or literal contents."""
    out, i = [], 0
    while i < len(text):
        m = TOKEN.match(text, i)
        kind = m.lastgroup
        if kind == "hashes":
            kind = "rawstr"
        if kind == "bcomment":
            depth, j = 1, m.end()
            while depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            i = j
            continue
        if kind == "rawstr":
            end = text.index('"' + m.group("hashes"), m.end()) + 1 + len(m.group("hashes"))
            out.append('""')
            i = end
            continue
        if kind not in ("ws", "lcomment"):
            out.append(m.group(0))
        i = m.end()
    return out


def group_end(toks, i):
    """Index just past the bracket group opening at toks[i]."""
    pairs = {"{": "}", "(": ")", "[": "]"}
    stack = [pairs[toks[i]]]
    i += 1
    while stack:
        t = toks[i]
        if t in pairs:
            stack.append(pairs[t])
        elif t == stack[-1]:
            stack.pop()
        i += 1
    return i


class Cfg:
    """Evaluates `cfg` predicates: every feature is on except EXCLUDED_FEATURES; not a test."""

    TRUE_CFGS = {"unix", "docsrs"}

    @staticmethod
    def parse(toks):
        def expr(i):
            name = toks[i]
            if name in ("all", "any", "not"):
                args, i = [], i + 2
                while toks[i] != ")":
                    e, i = expr(i)
                    args.append(e)
                    if toks[i] == ",":
                        i += 1
                return (name, args), i + 1
            if i + 1 < len(toks) and toks[i + 1] == "=":
                return ("kv", name, toks[i + 2].strip('"')), i + 3
            return ("flag", name), i + 1

        return expr(0)[0]

    @staticmethod
    def holds(e):
        op = e[0]
        if op == "all":
            return all(Cfg.holds(a) for a in e[1])
        if op == "any":
            return any(Cfg.holds(a) for a in e[1])
        if op == "not":
            return not Cfg.holds(e[1][0])
        if op == "kv":
            return e[1] == "feature" and e[2] not in EXCLUDED_FEATURES
        return e[1] in Cfg.TRUE_CFGS

    @staticmethod
    def render(e):
        op = e[0]
        if op in ("all", "any", "not"):
            return f"{op}({', '.join(Cfg.render(a) for a in e[1])})"
        if op == "kv":
            return f'{e[1]} = "{e[2]}"'
        return e[1]

    @staticmethod
    def gate(e):
        """The part of a predicate worth repeating in the generated file: feature tests only
        (platform flags that hold on every CI target and `docsrs` are dropped)."""
        op = e[0]
        if op in ("all", "any"):
            parts = [g for g in (Cfg.gate(a) for a in e[1]) if g is not None]
            if not parts:
                return None
            return parts[0] if len(parts) == 1 else (op, parts)
        if op == "not":
            inner = Cfg.gate(e[1][0])
            return None if inner is None else ("not", [inner])
        if op == "kv" and e[1] == "feature":
            return e
        return None


class Module:
    def __init__(self, path):
        self.path = path  # e.g. ["vtab", "array"]
        self.items = []  # (name, kind, gates)
        self.globs = []  # (target module path, gates)
        self.children = {}


ITEM_KW = {"struct", "enum", "union", "trait", "fn", "type", "const", "static", "mod"}
FN_PREFIX = {"unsafe", "const", "async", "extern", "default"}


class Parser:
    def __init__(self, src_dir):
        self.src_dir = src_dir
        self.modules = {}

    def parse_file(self, path, mod_path, file_dir, gates):
        with open(path, encoding="utf-8") as f:
            toks = lex(f.read())
        module = self.modules.setdefault(tuple(mod_path), Module(mod_path))
        self.parse_items(toks, 0, len(toks), module, file_dir, gates)
        return module

    def parse_items(self, toks, i, end, module, file_dir, gates):
        while i < end:
            attrs, i = self.attributes(toks, i)
            if i >= end:
                break
            if toks[i] == "#" and toks[i + 1] == "!":  # inner attribute
                i = group_end(toks, i + 2)
                continue
            item_gates, hidden, macro_export, path_attr = list(gates), False, False, None
            skip = False
            for a in attrs:
                if a[0] == "cfg":
                    pred = Cfg.parse(a[2:-1])
                    if not Cfg.holds(pred):
                        skip = True
                    g = Cfg.gate(pred)
                    if g is not None:
                        item_gates.append(g)
                elif a[:4] == ["doc", "(", "hidden", ")"]:
                    hidden = True
                elif a[0] == "macro_export":
                    macro_export = True
                elif a[0] == "path":
                    path_attr = a[2].strip('"')
            public = toks[i] == "pub"
            if public:
                i += 1
                if toks[i] == "(":  # pub(crate), pub(super), pub(in ...)
                    public, i = False, group_end(toks, i)
            j = i
            while toks[j] in FN_PREFIX or toks[j].startswith('"'):
                j += 1
            kw = toks[j]
            visible = public and not skip and not hidden
            if kw == "macro_rules!":
                name = toks[j + 1]
                i = self.skip_item(toks, j + 2)
                if macro_export and not skip and not hidden:
                    self.modules[()].items.append((name, "macro", item_gates))
                continue
            if kw == "use":
                k = j + 1
                stop = k
                while toks[stop] != ";":
                    stop += 1
                if visible:
                    self.use_tree(toks[k:stop], [], module, item_gates)
                i = stop + 1
                continue
            if kw == "mod":
                name = toks[j + 1]
                child_path = module.path + [name]
                if toks[j + 2] == ";":
                    if not skip:
                        self.load_module(name, child_path, file_dir, path_attr, item_gates)
                    i = j + 3
                else:
                    body_end = group_end(toks, j + 2)
                    if not skip:
                        child = self.modules.setdefault(tuple(child_path), Module(child_path))
                        self.parse_items(
                            toks, j + 3, body_end - 1, child, os.path.join(file_dir, name), item_gates
                        )
                    i = body_end
                if visible:
                    module.items.append((name, "mod", item_gates))
                continue
            if kw in ITEM_KW:
                name = toks[j + 1]
                if visible and name != "_":
                    module.items.append((name, kw, item_gates))
                i = self.skip_item(toks, j + 1)
                continue
            if toks[j : j + 3] == ["bitflags", "::", "bitflags!"] or kw == "bitflags!":
                # `bitflags::bitflags! { pub struct Flags: c_int { .. } }` declares items.
                body = j + 1 if kw == "bitflags!" else j + 3
                body_end = group_end(toks, body)
                self.parse_items(toks, body + 1, body_end - 1, module, file_dir, item_gates)
                i = body_end
                continue
            i = self.skip_item(toks, j)  # impl blocks, extern blocks, other macro calls

    def attributes(self, toks, i):
        attrs = []
        while i < len(toks) and toks[i] == "#" and toks[i + 1] == "[":
            end = group_end(toks, i + 1)
            attrs.append(toks[i + 2 : end - 1])
            i = end
        return attrs, i

    def skip_item(self, toks, i):
        """Index past the item starting at i: through its `;` or its outermost `{}` body."""
        while i < len(toks):
            t = toks[i]
            if t == ";":
                return i + 1
            if t == "{":
                end = group_end(toks, i)
                # `struct S {..}`, `fn f() {..}`, `impl .. {..}` end here; a `const X: T = T {..};`
                # continues to its `;`.
                if end < len(toks) and toks[end] == ";":
                    return end + 1
                return end
            if t in "([":
                i = group_end(toks, i)
                continue
            i += 1
        return i

    def load_module(self, name, child_path, file_dir, path_attr, gates):
        if path_attr:
            candidates = [os.path.join(file_dir, path_attr)]
        else:
            candidates = [os.path.join(file_dir, name + ".rs"), os.path.join(file_dir, name, "mod.rs")]
        for c in candidates:
            if os.path.exists(c):
                self.parse_file(c, child_path, os.path.join(file_dir, name), gates)
                return
        raise SystemExit(f"module file not found for {'::'.join(child_path)}: {candidates}")

    def use_tree(self, toks, prefix, module, gates):
        """Records the names a `pub use` tree brings into `module`."""
        i, path = 0, list(prefix)
        while i < len(toks):
            t = toks[i]
            if t == "{":
                end = group_end(toks, i)
                inner, depth, start = toks[i + 1 : end - 1], 0, 0
                for k, u in enumerate(inner + [","]):
                    if u in "{([":
                        depth += 1
                    elif u in "})]":
                        depth -= 1
                    elif u == "," and depth == 0:
                        if k > start:
                            self.use_tree(inner[start:k], path, module, gates)
                        start = k + 1
                return
            if t == "*":
                module.globs.append((self.resolve(path, module.path), gates))
                return
            if t == "as":
                if toks[i + 1] != "_":
                    module.items.append((toks[i + 1], "use", gates))
                return
            if t != "::":
                path.append(t)
            i += 1
        last = path[-1]
        module.items.append((module.path[-1] if last == "self" else last, "use", gates))

    @staticmethod
    def resolve(path, here):
        if path and path[0] == "crate":
            return tuple(path[1:])
        base = list(here)
        while path and path[0] in ("self", "super"):
            if path[0] == "super":
                base.pop()
            path = path[1:]
        return tuple(base + path)

    def public_paths(self):
        """Every (path, gates) reachable from the crate root through public modules."""
        out = []

        def names(mod_key, seen):
            module = self.modules.get(mod_key)
            if module is None or mod_key in seen:
                return []
            seen = seen | {mod_key}
            found = list(module.items)
            for target, gates in module.globs:
                found += [(n, k, gates + g) for n, k, g in names(target, seen) if k != "mod"]
            return found

        def walk(mod_key, prefix, gates):
            for name, kind, g in names(mod_key, frozenset()):
                out.append(("::".join(prefix + [name]), gates + g))
                if kind == "mod":
                    walk(mod_key + (name,), prefix + [name], gates + g)

        walk((), [], [])
        return out


def render_gate(gates):
    unique = []
    for g in gates:
        if g not in unique:
            unique.append(g)
    if not unique:
        return ""
    pred = unique[0] if len(unique) == 1 else ("all", unique)
    return f"#[cfg({Cfg.render(pred)})]\n"


def main():
    out = io.StringIO()
    real_stdout, sys.stdout = sys.stdout, out
    try:
        generate()
    finally:
        sys.stdout = real_stdout
    text = out.getvalue()
    if shutil.which("rustfmt"):
        text = subprocess.run(
            ["rustfmt", "--edition", "2021"], input=text, capture_output=True, text=True, check=True
        ).stdout
    sys.stdout.write(text)


def generate():
    global DBCOMPAT_GAPS
    args = sys.argv[1:]
    version = "0.34.0"
    if args[:1] == ["--rusqlite"]:
        version, args = args[1], args[2:]
    if version not in VERSIONS:
        raise SystemExit(f"unknown rusqlite version {version}; known: {', '.join(VERSIONS)}")
    DBCOMPAT_GAPS, out_name = VERSIONS[version]
    if args:
        src = args[0]
    else:
        found = glob.glob(os.path.expanduser(f"~/.cargo/registry/src/*/rusqlite-{version}/src"))
        if not found:
            raise SystemExit(f"rusqlite-{version} sources not found; run `cargo fetch` first")
        src = found[0]
    parser = Parser(src)
    parser.parse_file(os.path.join(src, "lib.rs"), [], src, [])
    paths = sorted(set((p, render_gate(g)) for p, g in parser.public_paths()))
    print(f"// @generated by scripts/gen-public-paths.py from rusqlite {version}'s sources; do not edit.")
    if version == "0.34.0":
        print(f"// Regenerate: scripts/gen-public-paths.py > compat-tests/{out_name}")
    else:
        print(f"// Regenerate: scripts/gen-public-paths.py --rusqlite {version} > compat-tests/{out_name}")
    print(f"// {len(paths)} public item paths. Each `use` below resolves under real rusqlite and under")
    print("// dbcompat; the KNOWN_GAPS ones only under real rusqlite.")
    if version == "0.34.0":
        print("#![allow(unused_imports)]")
    print()
    print("/// How many paths this file checks.")
    print(f"pub const PATH_COUNT: usize = {len(paths)};")
    print()
    def gap(path):
        return next((r for p, r in DBCOMPAT_GAPS.items() if path == p or path.startswith(p + "::")), None)

    def needs_libclang(gate):
        return any(f'feature = "{f}"' in gate for f in NEEDS_LIBCLANG)

    libclang = [(p, g) for p, g in paths if gap(p) is None and needs_libclang(g)]
    present = [(p, g) for p, g in paths if gap(p) is None and not needs_libclang(g)]
    missing = [(p, g) for p, g in paths if gap(p) is not None]
    print()
    print("/// rusqlite paths dbcompat does not provide yet, with the reason (DBCOMPAT_GAPS).")
    print("pub const KNOWN_GAPS: &[(&str, &str)] = &[")
    for p, _ in missing:
        print(f'    ("rusqlite::{p}", "{gap(p)}"),')
    print("];")
    print()
    for n, (path, gate) in enumerate(present):
        print(f"{gate}use rusqlite::{path} as _p{n};")
    print_use_macro(
        "libclang_feature_uses",
        "Paths of features real rusqlite cannot build without libclang, expanded only under dbcompat.",
        libclang,
    )
    print_use_macro(
        "known_gap_uses",
        "The paths of `KNOWN_GAPS` as `use`s, expanded only under real rusqlite.",
        missing,
    )


def print_use_macro(name, doc, entries):
    """A macro expanding to one gated `use` per entry, for the roots that can compile them."""
    print()
    print(f"/// {doc}")
    print("#[allow(unused_macros)]")
    print(f"macro_rules! {name} {{")
    print("    () => {")
    for n, (path, gate) in enumerate(entries):
        for line in gate.splitlines():
            print(f"        {line}")
        print(f"        use rusqlite::{path} as _{name}{n};")
    print("    };")
    print("}")

if __name__ == "__main__":
    main()
