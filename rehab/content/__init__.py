"""Shipped exercise library and stage templates, loaded by the rehab app."""
