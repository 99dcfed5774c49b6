"""Reusable mobjects built from mathcore objects."""
