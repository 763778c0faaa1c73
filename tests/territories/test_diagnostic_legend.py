"""The diagnostic map's legend: classes that do not share their edges (« jusqu'à 1,6 », « plus de 1,6, jusqu'à
2,7 »), each disc in the class whose written range holds its written value, and labels inside the map."""

import pytest

from actors.diagnostic import svgmap
from actors.diagnostic.svgmap import classes, colour, legend, shown


def test_classes_end_at_the_decimal_the_legend_shows_and_never_repeat():
    bounds = classes([1.55, 1.56, 1.58, 1.61, 1.64, 2.6, 3.0])
    assert bounds == sorted(set(bounds))
    assert all(round(b, 1) == b for b in bounds)
    assert bounds[0] == 1.6  # 1.55, 1.56, 1.58, 1.61, 1.64 are all written « 1,6 »: one class, one bound


@pytest.mark.parametrize("values", [[0.0, 0.0, 1.0, 2.0, 5.0], [1.55, 1.64, 1.65, 9.99, 10.0], [3, 3, 3]])
def test_each_value_falls_in_the_one_class_whose_written_range_holds_it(values):
    bounds = classes(values)
    rows = legend(bounds, higher_is_better=True, unit="")
    for value in values:
        written = shown(value)  # the disc's label; the legend's range must hold it
        held = [row for row in rows if (row["low"] is None or written > row["low"]) and written <= row["high"]]
        assert len(held) == 1, (value, rows)
        assert held[0]["colour"] == colour(value, bounds, higher_is_better=True)


def test_labels_stay_inside_the_map():
    units = [{"x": 0.3 + i / 10, "y": 46.5, "population": 1000 * (i + 1), "name": f"Commune {i}", "code": str(i),
              "places_per_10k": float(i)} for i in range(8)]
    drawn = svgmap.draw(units, [], svgmap.INDICATORS["places_per_10k"])
    for disc in drawn["discs"]:
        assert svgmap.LABEL_HALF_WIDTH <= disc["label_x"] <= svgmap.WIDTH - svgmap.LABEL_HALF_WIDTH
        assert 0 < disc["label_y"] <= svgmap.HEIGHT
