"""`kiosk content build` says plainly what is missing instead of failing half-way."""

from kiosk.cli.main import main


def test_without_espeak_ng_the_audio_build_stops_with_its_code(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on it
    assert main(["content", "build", "--audio-only", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out == "kiosk: SPK-001 espeak-ng not found: apt-get install espeak-ng\n"
    assert list(tmp_path.iterdir()) == []


def test_a_pack_that_does_not_load_is_named_and_nothing_is_rendered(tmp_path, capsys):
    assert main(["content", "build", "--audio-only", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith("kiosk: CNT-001 content pack invalid")
    assert list(tmp_path.iterdir()) == []


def test_where_the_build_tools_are_not_installed_the_build_says_so(tmp_path, monkeypatch, capsys):
    """The wheel a terminal installs carries no kiosk_build: content is built in a checkout."""
    monkeypatch.setattr("kiosk.cli.content.find_spec", lambda name: None)
    assert main(["content", "build", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().out.startswith("kiosk: CNT-003 the content-build tools (kiosk_build) are not installed")
    assert list(tmp_path.iterdir()) == []
