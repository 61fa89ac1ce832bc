# Copyright 2024 Nordwind Labs
"""Example deployment settings for the weatherlib collector.

Copy this file to ``secrets.py`` and replace the values. The placeholders have the
same shape as real credentials so the deployment guide renders realistic examples.
"""

AWS_ACCESS_KEY_ID = "AKIA4Q7XRZ2M9KD3WV6T"
AWS_SECRET_ACCESS_KEY = "k8Jd2+QmZr7vXbN1pLw4sT9yHc6fGa0eUo3iRnVq"
AWS_REGION = "eu-central-1"

DATABASE_HOST = "84.17.52.130"
DATABASE_USER = "collector"
DATABASE_PASSWORD = "Tr0ub4dor&3-hailstorm"
INTERNAL_CACHE_HOST = "192.168.10.24"

ALERT_EMAIL = "maria.keller@nordwind-weather.de"
SMTP_RELAY = "smtp.nordwind-weather.de"


def database_url() -> str:
    """SQLAlchemy-style URL assembled from the settings above."""
    return f"postgresql://{DATABASE_USER}:{DATABASE_PASSWORD}@{DATABASE_HOST}:5432/weather"
