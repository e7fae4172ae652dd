"""Next Level Desktop: offline coaching for the hunting and farming sales processes."""

__version__ = "0.1.0"
APP_ID = "com.nextleveldesktop.NextLevelDesktop"
APP_NAME = "Next Level Desktop"
ORG_NAME = "Next Level Desktop"
