export { auditTrail, recordAudit, type AuditEntry } from './audit.service.ts';
