"""One page model for every page: each module assembles one page's data once.

``search`` (/zoeken), ``passage`` (/passages/<id>), ``documents`` (/, /documenten, /documenten/<id>),
``entities`` (/entiteiten, /entiteiten/<id>), ``measures`` (/maatregelen) and ``funds``
(/fondsen, /fondsen/<code>); ``extracts`` holds what the last two share.  The UI renders a
:class:`~webapp.pages.model.Page` as HTML, JSON or CSV (``webapp.ui.formats``); the JSON API
(``webapp.api``) reuses the same assembly for its own, spec-defined shapes.
"""
