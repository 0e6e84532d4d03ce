-- corrections_applied: which correction changed what (docs/corrections.md).
--
-- Grain: one row per (correction, fact it applies to); a correction that applies to no fact
--   (orphaned: its article is gone, or the fact is no longer read that way) has one row.
--
-- Columns: file, line (where the correction stands: the CSV file and its line, 1 = header),
--   action, fact, doc_id, metric, value, period_label, scope, name, title (the key as
--   written), column_name, new_value, why, who, then
--   target_doc_id VARCHAR the article it applies to now: doc_id, or the article its input file
--                       holds since the file changed (NULL when orphaned by a gone article)
--   target     VARCHAR  the row it applies to: 'metrics fact_no N', 'people: NAME, TITLE',
--                       'articles', or 'added' (an add); NULL when orphaned
--   old_value  VARCHAR  a set's column as extracted (text; NULL for reject and add)
--   status     VARCHAR  'applied' or 'orphaned'
--
-- Rules: matching is that of sql/macros/070_corrections.sql (correction_matches). A person
--   correction without a title applies to every title of that name in the article (one row
--   each).

create or replace view corrections_applied as

with

matches as (

    select * from correction_matches()

),

described as (

    select
        m.file,
        m.line,
        case
            when m.action = 'add' then 'added'
            when m.fact = 'metric' then 'metrics fact_no ' || mb.fact_no
            when m.fact = 'person' then 'people: ' || pb.name || coalesce(', ' || pb.title, '')
            else 'articles'
        end as target,
        case
            when m.action <> 'set' then null
            when m.fact = 'metric' then json_extract_string(to_json(mb), '$.' || m.column_name)
            when m.fact = 'person' then json_extract_string(to_json(pb), '$.' || m.column_name)
            else json_extract_string(to_json(a), '$.' || m.column_name)
        end as old_value
    from matches as m
    left join metric_base() as mb
        on m.fact = 'metric' and m.action <> 'add' and mb.target_key = m.target_key
    left join person_base() as pb
        on m.fact = 'person' and m.action <> 'add' and pb.target_key = m.target_key
    left join articles as a
        on m.fact = 'article' and a.doc_id = m.target_key

),

final as (

    select
        c.file,
        c.line,
        c.action,
        c.fact,
        c.doc_id,
        c.metric,
        c.value,
        c.period_label,
        c.scope,
        c.name,
        c.title,
        c.column_name,
        c.new_value,
        c.why,
        c.who,
        c.target_doc_id,
        d.target,
        d.old_value,
        case when d.file is null then 'orphaned' else 'applied' end as status
    from corrections as c
    left join described as d on d.file = c.file and d.line = c.line

)

select * from final
order by file, line, target
