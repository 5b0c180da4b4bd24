#!/usr/bin/env python3
"""Counts the drawn pixels of regions of a PNG screenshot (python3 standard library only).

usage: png_regions.py FILE.png X,Y,W,H ...

Prints one JSON object: {"width", "height", "regions": [{"rect", "pixels", "ink", "colour"}]}
where, inside each rectangle (clipped to the image), `ink` counts the pixels that are not
near-white (any channel below 235) and `colour` those that are clearly coloured (their
channels differ by more than 60: chart lines, bars and markers, not grey text). Reads
8-bit greyscale, RGB and RGBA PNGs without interlacing, what Chromium writes.
"""
import json
import struct
import sys
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG")
    pos, idat, header = 8, bytearray(), None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
    width, height, depth, colour_type, _, _, interlace = header
    channels = {0: 1, 2: 3, 6: 4}.get(colour_type)
    if depth != 8 or channels is None or interlace != 0:
        raise ValueError(f"{path}: unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    raw = zlib.decompress(bytes(idat))
    stride = width * channels
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(height):
        kind = raw[i]
        line = bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        # Undo the scanline filter (PNG spec, section 9).
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + a) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + b) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 0xFF
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    width, height, channels, rows = read_png(sys.argv[1])
    regions = []
    for spec in sys.argv[2:]:
        x, y, w, h = (int(v) for v in spec.split(","))
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, width), min(y + h, height)
        ink = colour = 0
        for row in rows[y0:y1] if x1 > x0 else []:
            for px in range(x0, x1):
                p = row[px * channels:px * channels + min(channels, 3)]
                if min(p) < 235:
                    ink += 1
                if max(p) - min(p) > 40:
                    colour += 1
        regions.append({"rect": [x, y, w, h], "pixels": max(0, x1 - x0) * max(0, y1 - y0), "ink": ink,
                        "colour": colour})
    json.dump({"width": width, "height": height, "regions": regions}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
