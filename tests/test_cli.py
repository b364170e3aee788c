"""`python -m ess_data build`: exit codes and messages."""
import shutil

from ess_data.__main__ import main
from tests.conftest import FIXTURES


def test_build_command_writes_the_warehouse(tmp_path, fixture_reference, capsys):
    target = tmp_path / "w.duckdb"
    code = main(["build", "--db", str(target), "--seed", str(FIXTURES / "seed"),
                 "--reference", str(fixture_reference)])
    assert code == 0
    assert target.exists()
    assert "Entrepôt construit" in capsys.readouterr().out


def test_build_command_refuses_bad_seed_with_exit_1(tmp_path, fixture_reference, capsys):
    seed = tmp_path / "seed"
    shutil.copytree(FIXTURES / "seed", seed)
    (seed / "indicators.csv").write_text("indicator_id\nx\n", encoding="utf-8")
    code = main(["build", "--db", str(tmp_path / "w.duckdb"), "--seed", str(seed),
                 "--reference", str(fixture_reference)])
    assert code == 1
    assert "Construction refusée" in capsys.readouterr().err
    assert not (tmp_path / "w.duckdb").exists()
