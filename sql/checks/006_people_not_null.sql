-- Not null: people.doc_id, name, sentence, char_start, char_end (title and province may be NULL).
-- Violations: the people rows with a NULL in any of them; null_columns names which.
select
    doc_id,
    name,
    title,
    concat_ws(', ',
        case when doc_id is null then 'doc_id' end,
        case when name is null then 'name' end,
        case when sentence is null then 'sentence' end,
        case when char_start is null then 'char_start' end,
        case when char_end is null then 'char_end' end
    ) as null_columns
from checked_people
where doc_id is null
   or name is null
   or sentence is null
   or char_start is null
   or char_end is null
order by doc_id, name
