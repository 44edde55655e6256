"""Beleidsbank: kennisbank en zoekmachine voor Nederlandse beleidsteksten."""
