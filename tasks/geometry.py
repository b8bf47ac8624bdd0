"""Affine maps between an OCR text layer, the picture it was read from, and a PDF page.

Matrices follow the PDF convention ``(a, b, c, d, e, f)``: a point ``(x, y)`` goes to
``(a x + c y + e, b x + d y + f)``, and ``multiply(m, n)`` applies ``m`` first. The "unit
square" of a picture is the space a PDF image XObject is drawn in: (0, 0) bottom left,
(1, 1) top right, whatever its pixel size.
"""

from __future__ import annotations

import math

Matrix = tuple[float, float, float, float, float, float]
Point = tuple[float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (
        a * p + b * r,
        a * q + b * s,
        c * p + d * r,
        c * q + d * s,
        e * p + f * r + t,
        e * q + f * s + u,
    )


def apply(m: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = m
    x, y = point
    return (a * x + c * y + e, b * x + d * y + f)


def from_points(origin: Point, x_unit: Point, y_unit: Point) -> Matrix:
    """The affine map sending (0,0), (1,0), (0,1) to the three given points."""
    ox, oy = origin
    return (x_unit[0] - ox, x_unit[1] - oy, y_unit[0] - ox, y_unit[1] - oy, ox, oy)


def scale(sx: float, sy: float) -> Matrix:
    return (sx, 0.0, 0.0, sy, 0.0, 0.0)


def is_upright(m: Matrix) -> bool:
    """No rotation, skew or mirror: the picture is drawn the way it is stored."""
    a, b, c, d, _, _ = m
    return abs(b) < 1e-6 * abs(a) and abs(c) < 1e-6 * abs(d) and a > 0 and d > 0


def _rotate_about(p: Point, centre: Point, angle: float) -> Point:
    """Rotate ``p`` by ``angle`` degrees counter-clockwise on screen (y pointing down)."""
    rad = math.radians(angle)
    dx, dy = p[0] - centre[0], p[1] - centre[1]
    return (
        centre[0] + dx * math.cos(rad) + dy * math.sin(rad),
        centre[1] - dx * math.sin(rad) + dy * math.cos(rad),
    )


def deskewed_layer_to_image(
    original: tuple[int, int], rotated: tuple[int, int], angle: float, dpi: int
) -> Matrix:
    """Map Tesseract's layer for an image rotated by ``angle`` (Pillow, expand=True, about
    the centre) back onto the original image's unit square."""
    (w, h), (rw, rh) = original, rotated

    def to_unit(x_pt: float, y_pt: float) -> Point:
        px = (x_pt * dpi / 72, rh - y_pt * dpi / 72)  # layer points -> rotated pixels
        ox, oy = _rotate_about(px, (rw / 2, rh / 2), -angle)
        ox, oy = ox - (rw - w) / 2, oy - (rh - h) / 2
        return (ox / w, 1 - oy / h)

    return from_points(to_unit(0, 0), to_unit(1, 0), to_unit(0, 1))


def layer_to_image(size: tuple[int, int], dpi: int) -> Matrix:
    """Tesseract's layer page (the image at ``dpi``, in points) onto its unit square."""
    width, height = size
    return scale(dpi / (72 * width), dpi / (72 * height))


def unit_to_page(box: tuple[float, float, float, float], rotate: int) -> Matrix:
    """The rendered page's unit square (as shown, after /Rotate) onto PDF user space."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    turn = rotate % 360
    if turn == 90:
        return (0.0, h, -w, 0.0, x0 + w, y0)
    if turn == 180:
        return (-w, 0.0, 0.0, -h, x0 + w, y0 + h)
    if turn == 270:
        return (0.0, -h, w, 0.0, x0, y0 + h)
    return (w, 0.0, 0.0, h, x0, y0)
