"""Safe imports of official files into the warehouse (validated, all or nothing, kept, undoable).

`python -m ess_data import grille-densite|ess-emploi|sirene ...`, `rollback`, `imports`;
see docs/imports.md. Nothing here imports Streamlit.
"""
