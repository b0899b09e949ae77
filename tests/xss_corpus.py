"""Small inline XSS corpus, so the markup tests run without ../shared/xss/.

Each entry is fed both to ``render_markdown`` (as Markdown) and to
``sanitize_html`` (as raw HTML).
"""

INLINE_PAYLOADS: tuple[str, ...] = (
    # plain HTML elements and event handlers
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<div style="width: expression(alert(1))">x</div>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href=" \x01\x02javascript:alert(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="//evil.example/track.png">',
    '<img src="/\\evil.example/track.png">',
    '<img src="https:evil.example/track.png">',
    "<form action=javascript:alert(1)><button>x</button></form>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<!--><img src=x onerror=alert(1)>-->",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    # Markdown-specific vectors
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "[x](  vbscript:msgbox(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x][ref]\n\n[ref]: <javascript:alert(1)> "title"',
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    "![x](https://evil.example/pixel.gif)",
    "![x](//evil.example/pixel.gif)",
    '![x" onerror="alert(1)](/static/a.png)',
    '![x](/static/a.png "t\\" onerror=\\"alert(1)")',
    '[x](https://example.org "t\\" onmouseover=\\"alert(1)")',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
)
