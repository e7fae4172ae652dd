; Inno Setup 6 script (6.3 or newer): a per-user installer for the one-folder PyInstaller build.
;
; Build dist\NextLevelDesktop first (packaging\build.ps1), then either let build.ps1 call the
; compiler or run:   iscc /DAppVersion=0.1.0 packaging\windows\NextLevelDesktop.iss
; The installer lands in dist\NextLevelDesktop-<version>-setup.exe.
;
; Per-user: no administrator rights, no UAC prompt. Files go to %LOCALAPPDATA%\Programs, the
; Start-menu entry and the .nlw file association to the current user only (HKCU); the
; uninstaller is listed under Settings > Apps for that user.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z NextLevelDesktop.iss (build.ps1 does this)
#endif
#define AppName "Next Level Desktop"
#define AppPublisher "Next Level Desktop"
#define AppExe "NextLevelDesktop.exe"
#define AppId "com.nextleveldesktop.NextLevelDesktop"
#define ProgId "NextLevelDesktop.Workspace"

[Setup]
; A fixed GUID identifies the app across versions (upgrades install over the old one).
AppId={{6F0D3B52-8C1E-4B7A-9E25-3C4A9D7E1F60}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
AppPublisherURL=https://www.nextleveldesktop.com/
AppCopyright=Copyright (C) {#AppPublisher}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion}
VersionInfoDescription={#AppName} setup
VersionInfoCompany={#AppPublisher}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=NextLevelDesktop-{#AppVersion}-setup
SetupIconFile=packaging\windows\NextLevelDesktop.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
ChangesAssociations=yes
CloseApplications=yes
RestartApplications=no
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrades replace the bundle's internals wholesale, so no stale module of an old version stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "dist\NextLevelDesktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppId}"; Comment: "Design, work and measure your hunting and farming sales processes"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppId}"; Tasks: desktopicon

[Registry]
; The workspace file type (.nlw), for this user only: double-click opens it in the app.
Root: HKA; Subkey: "Software\Classes\.nlw\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Next Level workspace"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --workspace ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".nlw"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
