"""qingdan: compile, check and publish the care-service lists for migrant children."""

__version__ = "0.1.0"
