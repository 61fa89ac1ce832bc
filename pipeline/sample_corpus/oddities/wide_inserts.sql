-- Seed data for the city lookup table used by the forecast service.
CREATE TABLE IF NOT EXISTS cities (id INTEGER PRIMARY KEY, name TEXT NOT NULL, country CHAR(2) NOT NULL, latitude REAL NOT NULL, longitude REAL NOT NULL, population INTEGER, timezone TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (1, 'Berlin', 'DE', 52.52, 13.405, 3645000, 'Europe/Berlin') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (2, 'Hamburg', 'DE', 53.5511, 9.9937, 1841000, 'Europe/Berlin') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (3, 'Vienna', 'AT', 48.2082, 16.3738, 1897000, 'Europe/Vienna') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (4, 'Zurich', 'CH', 47.3769, 8.5417, 415000, 'Europe/Zurich') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (5, 'Paris', 'FR', 48.8566, 2.3522, 2161000, 'Europe/Paris') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (6, 'Lyon', 'FR', 45.764, 4.8357, 513000, 'Europe/Paris') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (7, 'Amsterdam', 'NL', 52.3676, 4.9041, 872000, 'Europe/Amsterdam') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (8, 'Brussels', 'BE', 50.8503, 4.3517, 1209000, 'Europe/Brussels') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (9, 'Copenhagen', 'DK', 55.6761, 12.5683, 602000, 'Europe/Copenhagen') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (10, 'Stockholm', 'SE', 59.3293, 18.0686, 975000, 'Europe/Stockholm') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (11, 'Oslo', 'NO', 59.9139, 10.7522, 697000, 'Europe/Oslo') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (12, 'Helsinki', 'FI', 60.1699, 24.9384, 656000, 'Europe/Helsinki') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (13, 'Warsaw', 'PL', 52.2297, 21.0122, 1790000, 'Europe/Warsaw') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (14, 'Prague', 'CZ', 50.0755, 14.4378, 1309000, 'Europe/Prague') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (15, 'Budapest', 'HU', 47.4979, 19.0402, 1752000, 'Europe/Budapest') ON CONFLICT (id) DO NOTHING;
INSERT INTO cities (id, name, country, latitude, longitude, population, timezone) VALUES (16, 'Rome', 'IT', 41.9028, 12.4964, 2873000, 'Europe/Rome') ON CONFLICT (id) DO NOTHING;
