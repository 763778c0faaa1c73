"""Positions and distances: the one home of how far two places are, and of a point's coordinates in SQL."""

from django.db import models


class X(models.Func):
    function = "ST_X"
    output_field = models.FloatField()


class Y(models.Func):
    function = "ST_Y"
    output_field = models.FloatField()
