// What the facade and the migrations share about the driver: turning its errors into the package's
// typed errors. Kept apart from src/mapping so the migrations path never loads the entities.
export { type DriverErrorContext, redactServerMessage, translateDriverError, withDriverErrors } from './driver-errors';
