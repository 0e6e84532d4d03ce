-- Not null: metrics.doc_id, fact_no, value, unit, sentence, char_start, char_end.
-- Violations: the fact rows with a NULL in any of them; null_columns names which.
select
    doc_id,
    fact_no,
    metric,
    concat_ws(', ',
        case when doc_id is null then 'doc_id' end,
        case when fact_no is null then 'fact_no' end,
        case when value is null then 'value' end,
        case when unit is null then 'unit' end,
        case when sentence is null then 'sentence' end,
        case when char_start is null then 'char_start' end,
        case when char_end is null then 'char_end' end
    ) as null_columns
from checked_metrics
where doc_id is null
   or fact_no is null
   or value is null
   or unit is null
   or sentence is null
   or char_start is null
   or char_end is null
order by doc_id, fact_no
