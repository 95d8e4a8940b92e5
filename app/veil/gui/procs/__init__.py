"""Audits in worker processes: ``child`` runs in them (no Qt), ``pool`` drives them."""
