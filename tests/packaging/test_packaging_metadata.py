"""The desktop integration files: valid for the freedesktop tools, and in step with the code
(one app id, one version, one workspace file type)."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from nextlevel_desktop import APP_ID, APP_NAME, __version__
from nextlevel_desktop.paths import WORKSPACE_SUFFIX

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
LINUX = PACKAGING / "linux"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
MIME = LINUX / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def pyproject() -> dict:  # type: ignore[type-arg]
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils")
def test_desktop_file_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(DESKTOP)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "", result.stdout  # no warnings or hints either


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="appstream is not installed")
def test_metainfo_passes_appstreamcli_validate() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not re.search(r"^[EW]:", result.stdout, re.MULTILINE), result.stdout


def test_desktop_entry_matches_the_app() -> None:
    entry = desktop_entry()
    command = next(iter(pyproject()["project"]["gui-scripts"]))
    assert entry["Name"] == APP_NAME
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == f"{command} --workspace %f"
    assert entry["TryExec"] == command
    assert entry["MimeType"] == f"{mime_type()};"


def mime_type() -> str:
    node = ET.parse(MIME).getroot().find(f"{MIME_NS}mime-type")
    assert node is not None
    return node.attrib["type"]


def test_mime_type_is_the_workspace_suffix() -> None:
    root = ET.parse(MIME).getroot()
    globs = [g.attrib["pattern"] for g in root.iter(f"{MIME_NS}glob")]
    assert globs == [f"*{WORKSPACE_SUFFIX}"]


def test_metainfo_matches_the_app() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.attrib["type"] == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("name") == APP_NAME
    assert root.findtext("project_license") == pyproject()["project"]["license"]
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/mediatype") == mime_type()
    command = next(iter(pyproject()["project"]["gui-scripts"]))
    assert root.findtext("provides/binary") == command
    assert root.find("content_rating") is not None
    summary = root.findtext("summary") or ""
    assert 10 < len(summary) < 60 and not summary.endswith(".")
    shots = root.findall("screenshots/screenshot")
    assert len(shots) >= 1
    assert all(s.findtext("caption") and s.findtext("image") for s in shots)
    assert [s.attrib.get("type") for s in shots].count("default") == 1


def test_newest_release_is_this_version() -> None:
    releases = ET.parse(METAINFO).getroot().findall("releases/release")
    assert releases, "the metainfo has no release entry"
    assert releases[0].attrib["version"] == __version__
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].attrib["date"])
    assert pyproject()["project"]["version"] == __version__


def test_windows_installer_uses_the_app_id_and_installs_per_user() -> None:
    script = (PACKAGING / "windows" / "NextLevelDesktop.iss").read_text("utf-8")
    assert f'#define AppId "{APP_ID}"' in script
    assert f'#define AppName "{APP_NAME}"' in script
    assert "PrivilegesRequired=lowest" in script
    assert "{autoprograms}" in script  # Start-menu entry
    assert f"Software\\Classes\\{WORKSPACE_SUFFIX}" in script
    assert 'Source: "dist\\NextLevelDesktop\\*"' in script


def test_build_tools_are_pinned() -> None:
    lines = [
        line.strip()
        for line in (PACKAGING / "requirements-build.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    names = {re.split(r"==", line)[0].lower() for line in lines}
    assert names == {"pyinstaller", "pyinstaller-hooks-contrib"}
    assert all(re.fullmatch(r"[\w-]+==[\w.]+", line) for line in lines), lines


def test_macos_bundle_declares_the_workspace_document_type() -> None:
    spec = (PACKAGING / "nextlevel-desktop.spec").read_text("utf-8")
    for key in (
        "bundle_identifier=APP_ID",
        "CFBundleDocumentTypes",
        "UTExportedTypeDeclarations",
        '"public.filename-extension": ["nlw"]',
        "NSHighResolutionCapable",
    ):
        assert key in spec
    assert WORKSPACE_SUFFIX == ".nlw"
