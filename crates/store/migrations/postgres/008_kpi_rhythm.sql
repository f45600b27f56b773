-- What a KPI's monthly figure stands for (累计值 or 当月值) and how often it is due (monthly or
-- quarterly). Existing KPIs: a count from 0 growing to its target is a running total.
ALTER TABLE kpis ADD COLUMN accumulation TEXT NOT NULL DEFAULT 'monthly';
ALTER TABLE kpis ADD COLUMN cadence TEXT NOT NULL DEFAULT 'monthly';
UPDATE kpis SET accumulation = 'cumulative'
 WHERE baseline = 0 AND target > 0 AND direction = 'higher_better'
   AND unit NOT LIKE '%\%%' ESCAPE '\' AND unit NOT LIKE '%％%' AND unit NOT LIKE '%‰%'
   AND unit NOT LIKE '%率%';
