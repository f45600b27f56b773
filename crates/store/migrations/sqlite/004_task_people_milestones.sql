-- Tasks carried by several people and marked off by milestones.
-- tasks.assignee_member_id stays the lead (牵头人), the other people who carry a task out
-- (承办人) are listed here. The index on member_id answers a member's 待办 list.
CREATE TABLE task_assignees (
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    member_id INTEGER NOT NULL REFERENCES members(id),
    PRIMARY KEY (task_id, member_id)
);
CREATE INDEX task_assignees_member ON task_assignees(member_id, task_id);

-- Milestones (里程碑) of a task, in the order typed. done_on is the day marked done.
CREATE TABLE task_milestones (
    id INTEGER PRIMARY KEY,
    task_id INTEGER NOT NULL REFERENCES tasks(id),
    title TEXT NOT NULL,
    due_on TEXT NOT NULL,
    done_on TEXT,
    position INTEGER NOT NULL
);
CREATE INDEX task_milestones_task ON task_milestones(task_id, position)
