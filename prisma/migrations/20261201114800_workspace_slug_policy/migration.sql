-- The one workspace slug policy (src/store/workspaces.ts, workspaceSlugSchema) for every row,
-- whichever code path writes it. NOT VALID: rows written before are not checked.
ALTER TABLE "workspace" ADD CONSTRAINT "workspace_slug_policy" CHECK ("slug" ~ '^[a-z0-9][a-z0-9-]{0,62}$') NOT VALID;
