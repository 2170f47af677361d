"""schema.org JSON-LD for search engines: MedicalWebPage on articles, FAQPage on /faq/."""

import html
import json

from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

# The escapes Django's json_script uses, so no text can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def as_script_json(data):
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def page_language() -> str:
    """The page's language ("en" or "es"): texts with no Spanish yet are shown in English, but
    the page, its interface and its reviewed translations are in the page's language."""
    return translation.get_language() or "en"


def _contributor(contributor):
    """A named person (with credentials or a staff account) or else a team."""
    if not (contributor.credentials or contributor.user_id):
        return {"@type": "Organization", "name": contributor.name}
    person = {"@type": "Person", "name": contributor.name}
    if contributor.credentials:
        person["honorificSuffix"] = contributor.credentials
    return person


def _citation(source):
    citation = {"@type": "CreativeWork", "name": source.citation}
    if source.link:
        citation["url"] = source.link
    return citation


def medical_web_page(article, references, url):
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "headline": article.title,
        "description": article.summary,
        "url": url,
        "dateModified": article.updated.isoformat(),
        "inLanguage": page_language(),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "citation": [_citation(source) for source in references],
    }
    if article.author:
        data["author"] = _contributor(article.author)
    if article.last_reviewed:
        data["lastReviewed"] = article.last_reviewed.isoformat()
    if article.medical_reviewer:
        data["reviewedBy"] = _contributor(article.medical_reviewer)
    return as_script_json(data)


def faq_page(faqs):
    return as_script_json(
        {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": page_language(),
            "mainEntity": [
                {
                    "@type": "Question",
                    "name": faq.question,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": html.unescape(strip_tags(faq.answer_html)).strip(),
                    },
                }
                for faq in faqs
            ],
        }
    )
