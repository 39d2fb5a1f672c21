ALTER TABLE "steps" DROP CONSTRAINT "steps_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "run_events" DROP CONSTRAINT "run_events_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "usage_records" DROP CONSTRAINT "usage_records_org_id_organizations_id_fk";
--> statement-breakpoint
ALTER TABLE "tool_executions" DROP CONSTRAINT "tool_executions_org_id_organizations_id_fk";
