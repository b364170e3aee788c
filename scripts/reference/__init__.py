"""Build the committed territory reference extract (ess_data/reference/).

Run through scripts/build_reference.sh; see docs/reference.md.
"""
