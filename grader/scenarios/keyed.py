"""Preloaded by the fork server of a scenario process (``runner``): the fork server takes the probes'
key as it starts, as spawned children do (``unpickling.carry_key``), and its children inherit it.

A fork server's child boots (``child.boot``) only while it prepares, long after its parent's start:
this module makes the fork server itself ready before any child.
"""

from . import unpickling

unpickling.carry_key()
