#!/usr/bin/env python3
"""Writes src/TasmoGuardian/Kinds/Tasmota/TasmotaLayout.Fields.cs: where each field of Tasmota's settings block lies,
for every layout since 9.0, on every chip family.

Usage: generate.py TASMOTA_CHECKOUT [COMMIT] > TasmotaLayout.Fields.cs

TASMOTA_CHECKOUT is a git clone of arendst/Tasmota (or a fork with its history); COMMIT the newest commit to read
(default 3b28c3d79b2793a7cb06d8646160861579cc3f92, development 15.0.1.5, released as 15.1.0). Every commit on the
first-parent line that changed the settings struct (tasmota/settings.h, later tasmota/include/tasmota_types.h) is read
with the VERSION of tasmota_version.h at that commit: its layout holds for settings written by that version up to the
next change. Offsets are the struct's own comments ("// 3AC"); a field's length is the distance to the next field.
"""
import re
import subprocess
import sys

REPO = sys.argv[1]
HEAD = sys.argv[2] if len(sys.argv) > 2 else "3b28c3d79b2793a7cb06d8646160861579cc3f92"
FIRST = 0x09000000

# The config_version byte (0xF36) of each chip family, and the symbols its build defines.
VARIANTS = {
    0: {"ESP8266"},
    1: {"ESP32", "CONFIG_IDF_TARGET_ESP32"},
    2: {"ESP32", "CONFIG_IDF_TARGET_ESP32S3"},
    3: {"ESP32", "CONFIG_IDF_TARGET_ESP32S2"},
    4: {"ESP32", "CONFIG_IDF_TARGET_ESP32C3"},
    5: {"ESP32", "CONFIG_IDF_TARGET_ESP32C2"},
    6: {"ESP32", "CONFIG_IDF_TARGET_ESP32C6"},
    7: {"ESP32", "CONFIG_IDF_TARGET_ESP32P4"},
    8: {"ESP32", "CONFIG_IDF_TARGET_ESP32C5"},
}
PLATFORM_NAMES = ["Esp8266", "Esp32", "Esp32S3", "Esp32S2", "Esp32C3", "Esp32C2", "Esp32C6", "Esp32P4", "Esp32C5"]
FIELD = re.compile(r"\s*(?:const\s+)?((?:unsigned\s+|signed\s+|struct\s+)?(?:long\s+)*[A-Za-z_0-9]+)\s+([A-Za-z_0-9]+)\s*(\[[^;]*\])?\s*(?::\s*\d+)?\s*;\s*//\s*([0-9A-Fa-f]{3})\b")


def git(*args):
    return subprocess.run(["git", "-C", REPO, *args], check=True, capture_output=True, text=True).stdout


def show(commit, *paths):
    for path in paths:
        try:
            return git("show", f"{commit}:{path}")
        except subprocess.CalledProcessError:
            continue
    return None


def parse(text, platform):
    symbols = VARIANTS[platform]
    start = text.rfind("{", 0, text.index("cfg_holder"))
    end = re.search(r"\}\s*T?Settings\s*;", text[start:])
    fields, stack = [], []
    for line in text[start:start + end.start()].splitlines():
        s = line.strip()
        if s.startswith("#"):
            parts = s.split(None, 1)
            directive, condition = parts[0], (parts[1].split("//")[0].strip() if len(parts) > 1 else "")
            if directive in ("#ifdef", "#if"):
                taken = condition in symbols
                stack.append([taken, taken])
            elif directive == "#ifndef":
                taken = condition not in symbols
                stack.append([taken, taken])
            elif directive == "#elif":
                top = stack[-1]
                taken = not top[1] and condition in symbols
                top[0], top[1] = taken, top[1] or taken
            elif directive == "#else":
                top = stack[-1]
                top[0], top[1] = not top[1], True
            elif directive == "#endif":
                stack.pop()
            continue
        if not all(level[0] for level in stack):
            continue
        match = FIELD.match(line)
        if match:
            fields.append((int(match.group(4), 16), match.group(2)))
    seen, ordered = set(), []
    for offset, name in sorted(fields, key=lambda f: f[0]):
        if offset not in seen:
            seen.add(offset)
            ordered.append((offset, name))
    return [(o, (ordered[i + 1][0] if i + 1 < len(ordered) else 0x1000) - o, n) for i, (o, n) in enumerate(ordered)]


def version_of(commit):
    text = show(commit, "tasmota/include/tasmota_version.h", "tasmota/tasmota_version.h")
    value = int(re.search(r"const uint32_t (?:TASMOTA_)?VERSION = (0x[0-9A-Fa-f]+)", text).group(1), 16)
    # Early 2022 the version briefly counted the calendar (2022.01.1 = 0x14160101) between 10.1.0.3 and 10.1.0.8.
    return 0x0A010004 if value >> 24 == 0x14 else value


commits = git("log", "--first-parent", "--reverse", "--format=%H", HEAD, "--",
              "tasmota/settings.h", "tasmota/include/tasmota_types.h").split()
layouts = {}
for index, commit in enumerate(commits):
    version = version_of(commit)
    # A later commit of the same version wins (a revert and its re-application are one version).
    layouts[version] = (index, commit)
ordered = sorted((v, c) for v, (i, c) in layouts.items())
start = max(i for i, (v, _) in enumerate(ordered) if v <= FIRST)
ordered = ordered[start:]

presence = {}
for position, (version, commit) in enumerate(ordered):
    text = show(commit, "tasmota/include/tasmota_types.h", "tasmota/settings.h")
    for platform in VARIANTS:
        for offset, length, name in parse(text, platform):
            presence.setdefault((offset, length, name), {}).setdefault(position, set()).add(platform)

entries = []
for (offset, length, name), where in presence.items():
    runs = []
    for position in range(len(ordered)):
        platforms = frozenset(where.get(position, ()))
        if runs and runs[-1][0] == platforms and runs[-1][2] == position:
            runs[-1][2] = position + 1
        else:
            runs.append([platforms, position, position + 1])
    for platforms, first, after in runs:
        if platforms:
            since = 0 if first == 0 else ordered[first][0]
            before = None if after == len(ordered) else ordered[after][0]
            entries.append((offset, since, length, name, platforms, before, ordered[first][1]))
entries.sort()

print("// <auto-generated>")
print(f"// Written by tools/tasmota-layout/generate.py from arendst/Tasmota's first-parent history up to {HEAD}: every")
print("// change of the settings struct (tasmota/settings.h, later tasmota/include/tasmota_types.h) since 9.0, each field")
print("// with the settings versions (the word at 0x008) and chip families (config_version, 0xF36) that have it there.")
print("// A line's commit is the first layout it belongs to. Do not edit by hand: run the script again.")
print("// </auto-generated>")
print()
print("namespace TasmoGuardian.Kinds.Tasmota;")
print()
print("internal static partial class TasmotaLayout")
print("{")
print("    private static readonly Field[] AllFields =")
print("    [")
everywhere = frozenset(VARIANTS)
for offset, since, length, name, platforms, before, commit in entries:
    chips = "All" if platforms == everywhere else " | ".join(PLATFORM_NAMES[p] for p in sorted(platforms))
    limits = []
    if since:
        limits.append(f"From = 0x{since:08X}")
    if before is not None:
        limits.append(f"Before = 0x{before:08X}")
    init = (" { " + ", ".join(limits) + " }") if limits else ""
    print(f"        new(0x{offset:03X}, {length}, \"{name}\", {chips}){init}, // {commit[:9]}")
print("    ];")
print("}")
