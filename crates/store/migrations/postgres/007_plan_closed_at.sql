-- When a plan was closed (转为"已总结"), in ms: its editors may reopen it for 30 days.
ALTER TABLE plans ADD COLUMN summarized_at BIGINT
