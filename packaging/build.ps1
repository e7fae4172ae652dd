# Build the one-folder app bundle on Windows from a clean virtual environment with the pinned
# build tools of packaging\requirements-build.txt, then (if Inno Setup 6 is installed) the
# per-user installer.
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#     -> dist\NextLevelDesktop\NextLevelDesktop.exe
#     -> dist\NextLevelDesktop-<version>-setup.exe   (needs ISCC.exe of Inno Setup 6.3 or newer)
#
# Options: -Python <launcher or path> (default: "py -3.11" when the py launcher exists, else
# "python"), -NoInstaller (bundle only), -Iscc <path to ISCC.exe>.
param(
    [string]$Python = "",
    [switch]$NoInstaller,
    [string]$Iscc = ""
)
$ErrorActionPreference = "Stop"
Set-StrictMode -Version Latest

$Root = Resolve-Path (Join-Path $PSScriptRoot "..")
Set-Location $Root
$Work = Join-Path $Root "build\packaging"
$Venv = Join-Path $Work "venv"
$VenvPython = Join-Path $Venv "Scripts\python.exe"

function Invoke-Checked {
    param([string]$Exe, [string[]]$Arguments)
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

Write-Host "build: fresh virtual environment in $Venv"
foreach ($Old in @($Venv, (Join-Path $Work "pyinstaller"), (Join-Path $Root "dist\NextLevelDesktop"))) {
    if (Test-Path $Old) { Remove-Item -Recurse -Force $Old }
}
New-Item -ItemType Directory -Force -Path $Work | Out-Null
if ($Python -eq "") {
    if (Get-Command py -ErrorAction SilentlyContinue) {
        Invoke-Checked "py" @("-3.11", "-m", "venv", $Venv)
    } else {
        Invoke-Checked "python" @("-m", "venv", $Venv)
    }
} else {
    Invoke-Checked $Python @("-m", "venv", $Venv)
}
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "--upgrade", "pip")
# The app as users get it (a regular, non-editable install) plus the pinned build tools.
Invoke-Checked $VenvPython @("-m", "pip", "install", "-q", "-r", "packaging\requirements-build.txt", "$Root")

Invoke-Checked $VenvPython @("-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
    "--distpath", (Join-Path $Root "dist"), "--workpath", (Join-Path $Work "pyinstaller"),
    "packaging\nextlevel-desktop.spec")
$Bundle = Join-Path $Root "dist\NextLevelDesktop"
$Size = (Get-ChildItem -Recurse -File $Bundle | Measure-Object -Property Length -Sum).Sum / 1MB
Write-Host ("build: bundle {0} ({1:N0} MB unpacked)" -f $Bundle, $Size)

# The frozen app checks itself: opens a demo workspace, every area, the dialogs, charts, a backup.
$Exe = Join-Path $Bundle "NextLevelDesktop.exe"
$Test = Start-Process -FilePath $Exe -ArgumentList @("--self-test", "--data-dir", (Join-Path $Work "selftest")) -Wait -PassThru -NoNewWindow
if ($Test.ExitCode -ne 0) { throw "the frozen app's --self-test failed (exit code $($Test.ExitCode))" }
Write-Host "build: frozen self-test passed"

if ($NoInstaller) { exit 0 }
if ($Iscc -eq "") {
    $Found = Get-Command iscc -ErrorAction SilentlyContinue
    if ($Found) { $Iscc = $Found.Source }
    else {
        foreach ($Dir in @("${env:ProgramFiles(x86)}\Inno Setup 6", "$env:ProgramFiles\Inno Setup 6", "$env:LOCALAPPDATA\Programs\Inno Setup 6")) {
            if (Test-Path (Join-Path $Dir "ISCC.exe")) { $Iscc = Join-Path $Dir "ISCC.exe"; break }
        }
    }
}
if ($Iscc -eq "") {
    Write-Warning "Inno Setup 6 (ISCC.exe) not found: bundle built, installer skipped. Install it (winget install JRSoftware.InnoSetup) or pass -Iscc."
    exit 0
}
$Version = (& $VenvPython -c "import nextlevel_desktop; print(nextlevel_desktop.__version__)").Trim()
Invoke-Checked $Iscc @("/Q", "/DAppVersion=$Version", "packaging\windows\NextLevelDesktop.iss")
Write-Host "build: installer dist\NextLevelDesktop-$Version-setup.exe"
