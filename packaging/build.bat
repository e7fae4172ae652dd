@echo off
rem Windows: build the bundle and the installer (see build.ps1 for what it does and its options).
powershell -NoProfile -ExecutionPolicy Bypass -File "%~dp0build.ps1" %*
exit /b %ERRORLEVEL%
