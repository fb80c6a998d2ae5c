"""Preloaded by the fork server of a scenario process (``runner``): the fork server's children then
take the probes' key from their preparation data, as spawned children do (``unpickling.carry_key``).

A fork server's child boots (``child.boot``) only while it prepares, too late to take the key from
what it is preparing from; this module makes the fork server itself ready before any child.
"""

from . import unpickling

unpickling.carry_key()
