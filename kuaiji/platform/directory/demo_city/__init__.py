"""The demo city: a deterministic, synthetic Shaoxing built on the real county outlines and
township list.

Each module has one job (reference facts, tiling, names, units, staff, residents...);
`city.demo_city(size)` puts them together. Everything is generated from fixed seeds, so the
same size gives the same city on every run and loading it twice changes nothing.
"""
