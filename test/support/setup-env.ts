// Tests never read a developer's .env: configuration is built explicitly by each test (see support/app.ts).
export {};
