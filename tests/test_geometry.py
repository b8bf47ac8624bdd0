"""The maps that put an OCR text layer back on its picture and its PDF page."""

from __future__ import annotations

import pytest
from PIL import Image

from tasks.geometry import (
    apply,
    deskewed_layer_to_image,
    is_upright,
    layer_to_image,
    multiply,
    unit_to_page,
)


def _close(a: tuple[float, float], b: tuple[float, float], tol: float = 1e-6) -> bool:
    return abs(a[0] - b[0]) <= tol and abs(a[1] - b[1]) <= tol


def test_multiply_applies_the_first_matrix_first():
    shift, double = (1.0, 0.0, 0.0, 1.0, 5.0, 0.0), (2.0, 0.0, 0.0, 2.0, 0.0, 0.0)
    assert apply(multiply(shift, double), (1.0, 1.0)) == (12.0, 2.0)
    assert apply(multiply(double, shift), (1.0, 1.0)) == (7.0, 2.0)


@pytest.mark.parametrize(
    ("rotate", "top_left_shown"),
    # Which corner of the media box a viewer shows at the top left of the page.
    [(0, (0, 800)), (90, (0, 0)), (180, (600, 0)), (270, (600, 800))],
)
def test_rendered_unit_square_maps_to_the_corner_a_viewer_shows(rotate, top_left_shown):
    m = unit_to_page((0, 0, 600, 800), rotate)
    assert _close(apply(m, (0, 1)), top_left_shown)
    # The four corners of the square land on the four corners of the box.
    corners = {tuple(round(v) for v in apply(m, p)) for p in ((0, 0), (1, 0), (0, 1), (1, 1))}
    assert corners == {(0, 0), (600, 0), (0, 800), (600, 800)}


def test_upright_means_no_turn_no_mirror():
    assert is_upright((612, 0, 0, 792, 0, 0))
    assert not is_upright((-612, 0, 0, -792, 612, 792))  # turned 180°
    assert not is_upright((0, 792, -612, 0, 612, 0))  # turned 90°
    assert not is_upright((612, 10, 0, 792, 0, 0))  # skewed


def test_layer_of_an_image_covers_its_unit_square():
    m = layer_to_image((2480, 3508), 300)
    assert _close(apply(m, (2480 * 72 / 300, 3508 * 72 / 300)), (1, 1))


@pytest.mark.parametrize("angle", [-7.0, 2.0, 12.5])
def test_a_point_found_on_the_straightened_picture_maps_back_to_the_original(angle):
    """Draw one dot, turn the picture as the deskew does, find the dot there, map it back."""
    size, dot = (400, 600), (300, 100)
    img = Image.new("L", size, 255)
    img.putpixel(dot, 0)
    turned = img.rotate(angle, resample=Image.Resampling.NEAREST, expand=True, fillcolor=255)
    found = next(
        (x, y)
        for y in range(turned.height)
        for x in range(turned.width)
        if turned.getpixel((x, y)) < 128
    )
    dpi = 150
    layer_point = ((found[0] + 0.5) * 72 / dpi, (turned.height - found[1] - 0.5) * 72 / dpi)
    u, v = apply(deskewed_layer_to_image(size, turned.size, angle, dpi), layer_point)
    x, y = u * size[0], (1 - v) * size[1]
    assert abs(x - (dot[0] + 0.5)) <= 1.5 and abs(y - (dot[1] + 0.5)) <= 1.5, (x, y)
