#!/usr/bin/env python3
"""Draws addon/icon.png (128x128) and addon/logo.png (250x100): a shield with a check mark, the project's sign.

Pure Python (zlib + struct), supersampled for smooth edges, so it runs anywhere: python3 tools/draw-icons.py
"""
import struct
import zlib
from pathlib import Path

BLUE = (3, 169, 244)
DARK = (2, 119, 189)
WHITE = (255, 255, 255)


def bezier(p0, p1, p2, steps=24):
    return [((1 - t) ** 2 * p0[0] + 2 * (1 - t) * t * p1[0] + t * t * p2[0],
             (1 - t) ** 2 * p0[1] + 2 * (1 - t) * t * p1[1] + t * t * p2[1])
            for t in (i / steps for i in range(steps + 1))]


def shield(x0, y0, w, h):
    def p(u, v):
        return (x0 + u * w, y0 + v * h)
    top = [p(0.08, 0.12), p(0.5, 0.0), p(0.92, 0.12)]
    right = bezier(p(0.92, 0.12), p(0.95, 0.75), p(0.5, 1.0))
    left = bezier(p(0.5, 1.0), p(0.05, 0.75), p(0.08, 0.12))
    return top + right[1:] + left[1:]


def inside(poly, x, y):
    result = False
    j = len(poly) - 1
    for i in range(len(poly)):
        xi, yi = poly[i]
        xj, yj = poly[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            result = not result
        j = i
    return result


def near_segment(x, y, a, b, width):
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= width * width


def render(width, height, shapes, samples=4):
    rows = []
    for py in range(height):
        row = bytearray([0])
        for px in range(width):
            acc = [0.0, 0.0, 0.0, 0.0]
            for sy in range(samples):
                for sx in range(samples):
                    x = px + (sx + 0.5) / samples
                    y = py + (sy + 0.5) / samples
                    colour = None
                    for test, c in shapes:
                        if test(x, y):
                            colour = c
                    if colour is not None:
                        acc[0] += colour[0]
                        acc[1] += colour[1]
                        acc[2] += colour[2]
                        acc[3] += 255
            n = samples * samples
            alpha = acc[3] / n
            if alpha:
                row += bytes(int(acc[i] / (acc[3] / 255)) for i in range(3)) + bytes([int(alpha)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    return png(width, height, b"".join(rows))


def png(width, height, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def sign(x0, y0, size):
    outer = shield(x0, y0, size, size)
    inner = shield(x0 + size * 0.08, y0 + size * 0.08, size * 0.84, size * 0.84)
    a = (x0 + size * 0.30, y0 + size * 0.52)
    b = (x0 + size * 0.45, y0 + size * 0.67)
    c = (x0 + size * 0.72, y0 + size * 0.36)
    stroke = size * 0.065
    return [
        (lambda x, y: inside(outer, x, y), DARK),
        (lambda x, y: inside(inner, x, y), BLUE),
        (lambda x, y: near_segment(x, y, a, b, stroke) or near_segment(x, y, b, c, stroke), WHITE),
    ]


def bars(x0, y0, w, h):
    # Three stacked "backup" bars beside the shield, the newest one highlighted.
    shapes = []
    for i, colour in enumerate((BLUE, DARK, DARK)):
        top = y0 + i * h * 0.36
        shapes.append((lambda x, y, top=top, i=i: x0 <= x <= x0 + w * (1 - i * 0.18) and top <= y <= top + h * 0.22, colour))
    return shapes


if __name__ == "__main__":
    out = Path(__file__).resolve().parent.parent / "addon"
    (out / "icon.png").write_bytes(render(128, 128, sign(8, 6, 112)))
    (out / "logo.png").write_bytes(render(250, 100, sign(10, 6, 88) + bars(115, 22, 120, 60)))
    print("wrote", out / "icon.png", "and", out / "logo.png")
