/** Nothing global to tear down: each spec drops its own database and Redis prefix. */
export default async function globalTeardown(): Promise<void> {}
