-- Not null: documents_cited.doc_id, kind, text, sentence, char_start, char_end.
-- Violations: the citation rows with a NULL in any of them; null_columns names which.
select
    doc_id,
    kind,
    code,
    concat_ws(', ',
        case when doc_id is null then 'doc_id' end,
        case when kind is null then 'kind' end,
        case when text is null then 'text' end,
        case when sentence is null then 'sentence' end,
        case when char_start is null then 'char_start' end,
        case when char_end is null then 'char_end' end
    ) as null_columns
from checked_documents_cited
where doc_id is null
   or kind is null
   or text is null
   or sentence is null
   or char_start is null
   or char_end is null
order by doc_id, code
