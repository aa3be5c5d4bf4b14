"""Text pools for benign traffic: names, products, everyday prose and the
'hard negative' prose that merely looks like code (quotes, SQL and shell
words, markup, snippets) as real users and developers write it."""

FIRST = ["Anna", "Liam", "Sofia", "Noah", "Mia", "Lucas", "Emma", "Mateo", "Olivia", "Ethan", "Aisha", "Kenji", "Priya", "Chloé", "José",
         "Zoë", "Björn", "Małgorzata", "Siobhan", "Seán", "Nguyễn", "Fatima", "Ravi", "Hannah", "Giulia", "Jürgen", "Amélie", "Oluwaseun",
         "Mei", "Carlos", "Ingrid", "Tomás", "Yuki", "Ahmed", "Sarah", "David", "Maria", "James", "Lena", "Omar"]
LAST = ["Smith", "García", "Müller", "O'Brien", "D'Angelo", "O'Connor", "Nguyen", "Kowalski", "Dubois", "Rossi", "van der Berg", "Smith-Jones",
        "McDonald", "Tanaka", "Patel", "Okafor", "Johansson", "Fernández", "Schmidt", "L'Heureux", "Al-Sayed", "Chen", "Ivanova", "Brown",
        "Da Silva", "N'Diaye", "Zimmermann", "Kim", "Hernández", "Wilson"]
CITIES = [("Berlin", "DE", "10115"), ("Paris", "FR", "75003"), ("London", "GB", "EC1A 1BB"), ("New York", "US", "10001"), ("Austin", "US", "78701"),
          ("Madrid", "ES", "28013"), ("Amsterdam", "NL", "1012 AB"), ("São Paulo", "BR", "01310-100"), ("Tokyo", "JP", "100-0005"),
          ("Toronto", "CA", "M5H 2N2"), ("Dublin", "IE", "D02 X285"), ("Zürich", "CH", "8001"), ("Kraków", "PL", "31-001"), ("Lyon", "FR", "69002")]
STREETS = ["Main Street", "Union Street", "Hauptstraße", "Rue de la Paix", "Baker Street", "Calle Mayor", "Select Avenue", "Elm Drive",
           "Oak Lane", "Station Road", "King's Road", "Rua Augusta", "Kerkstraat", "Drop Lane", "Exec Park Blvd"]
PRODUCTS = ["Wireless Mouse", "USB-C Hub 7-in-1", "Men's Running Shoes", "Women's Rain Jacket", "Espresso Machine", "Union Jack Mug",
            "Drop-Leaf Table", "Cat & Dog Bed (Large)", "Select Comfort Pillow", "4K Monitor 27\"", "Kids' Backpack", "Chef's Knife 8\"",
            "Noise-Cancelling Headphones", "Yoga Mat 6mm", "LED Desk Lamp", "Standing Desk Frame", "Organic Green Tea (50 bags)",
            "Phone Case - iPhone 15", "Cast-Iron Skillet 12\"", "Trail Socks 3-pack", "Rock 'n' Roll T-Shirt", "Barista's Choice Coffee 1kg"]
CATEGORIES = ["electronics", "shoes", "outdoor", "kitchen", "home-office", "pets", "toys", "books", "beauty", "garden", "sports"]
TAGS = ["urgent", "billing", "bug", "feature-request", "vip", "refund", "shipping", "api", "mobile", "onboarding", "gdpr", "sso"]
DOMAINS = ["mail.example", "corp.example", "gmail.example", "outlook.example", "uni.example", "startup.example"]
COMPANIES = ["Acme GmbH", "Globex Corp.", "Initech", "Umbrella Ltd", "O'Reilly & Sons", "Smith & Wesson Logistics", "Müller AG",
             "Soylent Foods", "Hooli", "Pied Piper", "Wayne Enterprises", "Stark Industries"]

EVERYDAY = [
    "Thanks for the quick delivery!", "The item arrived in perfect condition.", "Could you send me an invoice for my company?",
    "Please change the delivery address to my office.", "Great quality, fits as expected.", "My package is still in transit after 10 days.",
    "Is this available in blue?", "I was charged twice for the same order.", "Love it, would buy again.", "The size chart was accurate.",
    "Can I pick this up in store instead?", "Please cancel the subscription at the end of the billing period.",
    "The app crashes when I open the settings page on Android 14.", "Login with Google works but the Apple sign-in spins forever.",
    "Battery lasts about 2 days with normal use.", "Customer asked for a callback tomorrow morning.", "Refund approved, 3-5 business days.",
    "Shipping to Canada took a week, which is fine.", "Colour is slightly darker than in the photos.", "Works with my MacBook Pro M2.",
    "Replaced under warranty, customer happy.", "Followed up by email, waiting for the tracking number.",
    "Hi, I need to update the VAT number on my account.", "Please add my colleague as an admin.", "Meeting moved to Thursday 14:00 CET.",
]
HARD_PROSE = [
    "Please select the best plan for a team of 12.", "Meet me at Union Station at 5pm.", "Drop me a line when the order ships.",
    "I'd like 1 more, or 2 if you still have them.", "How do I delete my account and all my data?", "The cat and dog toys arrived damaged.",
    "Can't log in: it says 'invalid password' even after a reset.", "Where's my order?? It's been 2 weeks!", "We're updating the table of contents in the manual.",
    "Insert the SIM card and select \"Activate\" from the menu.", "I want to drop the premium add-on from my subscription.",
    "The box said \"Handle with care\" -- but it was crushed.", "Order #1234 and order #1235 should be merged into one shipment.",
    "Is the 'Select' tier cheaper than 'Pro' if we pay yearly?", "Open from 9am to 5pm, Monday to Friday; closed on holidays.",
    "Don't ship before Friday, I'm away.", "My name is Seán O'Brien, not Sean OBrien - please fix the spelling.",
    "Union members get 10% off, right?", "The drop-down doesn't show my country (Côte d'Ivoire).", "Where do I find the \"order by date\" option?",
    "Update: the sleep tracker works fine after the firmware update.", "We'd like to insert our logo on the invoice header.",
    "Can you exec a refund for order 5512? Thanks.", "She said: \"it's the one with the <3 sticker\".", "5 < 7 and 10 > 3, so the bigger box should fit.",
    "Price went from $20 to $25 & shipping is extra?", "Is it 100% cotton or 80/20?", "Select all that apply: size, colour, pattern.",
    "I clicked 'forgot password' but nothing happens; then I tried again and it worked.", "Where & when can I collect the parcel?",
    "The delete button on the wishlist page does nothing.", "Cheers -- Mark (the 'other' Mark from accounting)", "Rock 'n' roll!",
    "Kill the noise: these headphones are great on the train.", "Ping me on Slack if you need anything.", "grep-friendly logs would be nice :)",
    "Our office is at 1 Union Square; use the side door after 6pm.", "Script for the onboarding call: greet, demo, Q&A.",
    "The alert sound on the app is too loud.", "Choose 'or' vs 'and' in the filter - confusing UI.", "Sleep mode drains the battery overnight.",
    "Tried `Ctrl+Shift+R` and clearing the cache, still the old page.", "It's the 'Drop Table' model from your outdoor line (the folding one).",
    "My password contains a ' and a \" - is that why it fails?", "Rating: 4/5 -- would be 5/5 if the lid closed properly.",
    "We'll need the files in ../shared on the NAS, not the local copy.", "C:\\Users\\anna\\Downloads is where the export landed.",
    "Use the {{first_name}} merge field in the greeting, it works.", "Set the value to ${PRICE} in the sheet and it auto-fills.",
]
CODE_SNIPPETS = [
    "```bash\ncurl -X POST https://api.shop.example/v1/orders \\\n  -H \"Authorization: Bearer $TOKEN\" \\\n  -d '{\"sku\":\"A-100\",\"qty\":1}'\n```",
    "```js\nconst res = await fetch('/api/v1/cart', { method: 'POST', body: JSON.stringify(item) });\nif (!res.ok) throw new Error(res.statusText);\n```",
    "```python\nresp = requests.get(url, params={\"page\": 2}, timeout=10)\nresp.raise_for_status()\n```",
    "Steps:\n1. `npm install`\n2. `npm run build`\n3. open http://localhost:3000\n\nError: `TypeError: Cannot read properties of undefined (reading 'map')`",
    "Our report query\n```sql\nSELECT id, total FROM orders WHERE created_at > '2024-01-01' ORDER BY total DESC;\n```\nnow returns duplicates since the update.",
    "The docs say to run `rm -rf node_modules && npm ci` but the build still fails on Windows.",
    "Stack trace:\n```\njava.lang.NullPointerException\n\tat com.shop.CartService.total(CartService.java:88)\n\tat com.shop.Api.handle(Api.java:41)\n```",
    "Tried this in the console: `document.querySelector('#checkout').click()` and the button is disabled.",
    "```yaml\nwebhooks:\n  - url: https://hooks.partner.example/orders\n    events: [order.created, order.paid]\n```",
    "Config snippet:\n```json\n{\"timeout\": 30, \"retries\": 3, \"region\": \"eu-west-1\"}\n```",
    "Version check: `uname -a` gives Linux 6.1, `python3 --version` gives 3.11.2.",
    "```html\n<div class=\"price\">\n  <span>19.99</span>\n</div>\n```\nThe price element has no currency.",
    "Reproduce: `for i in $(seq 1 5); do curl -s https://api.shop.example/health; done` - 2 of 5 return 502.",
    "In Excel I use =IF(A2>100,\"bulk\",\"single\") - can the CSV export keep formulas?",
    "We map `user.id` -> `customer_id`; the join on orders.customer_id = customers.id is slow.",
]
MARKDOWN = [
    "## Steps to reproduce\n1. Go to **Settings**\n2. Click *Export*\n\n> It fails with `Error 500`",
    "**Expected:** the order total includes VAT.\n**Actual:** VAT is added twice.\n\n- browser: Firefox 121\n- OS: Windows 11",
    "### Release notes\n* Faster checkout\n* Fixed the `currency` rounding bug\n* [Changelog](https://docs.shop.example/changelog)",
    "| size | chest |\n|---|---|\n| M | 96 cm |\n| L | 104 cm |", "Thanks! :tada: Closing this as resolved. _Reopen if needed._",
]
RICH_HTML = [
    "<p>Hi team,</p><p>The <strong>new</strong> layout looks great. See <a href=\"https://docs.shop.example/guide\" target=\"_blank\" rel=\"noopener\">the guide</a>.</p>",
    "<p>Order arrived <em>two days early</em>!</p><ul><li>Box: fine</li><li>Contents: fine</li></ul>",
    "<h2>Product description</h2><p>Soft, breathable cotton.</p><img src=\"https://cdn.shop.example/p/81723/main.jpg\" alt=\"Front view\" width=\"600\">",
    "<p>Please find the <a href=\"https://files.shop.example/share/7f3a2c\">invoice</a> attached.</p><p>Kind regards,<br>Anna</p>",
    "<blockquote><p>Great support, solved in minutes.</p></blockquote><p>&mdash; Olivia</p>", "<p>Sizes: S &amp; M only</p><p>Price: &euro;29.90</p>",
    "<table><tr><th>Qty</th><th>Item</th></tr><tr><td>2</td><td>Mug</td></tr></table>", "<p><span style=\"color:#e03e2d\">Important:</span> closed on 24.12.</p>",
    "<ol><li>Open the box</li><li>Remove the <code>protective film</code></li></ol>", "<p>Video: <a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ\">unboxing</a></p>",
    "<div class=\"signature\"><p>Jane Doe<br>Support Lead | <a href=\"mailto:jane@shop.example\">jane@shop.example</a></p></div>",
]
SEARCH_TERMS = ["running shoes", "usb c hub", "wireless mouse", "rain jacket women", "espresso machine", "yoga mat", "gift card", "desk lamp",
                "4k monitor", "headphones noise cancelling", "backpack kids", "cast iron", "green tea", "phone case iphone 15", "socks",
                "laptop stand", "water bottle", "blender", "air fryer", "office chair", "kettle", "toothbrush", "hdmi cable 2m", "sunglasses"]
HARD_SEARCH = ["select comfort pillow", "union jack mug", "drop leaf table", "cat & dog bed", "men's shoes", "o'brien", "rock 'n' roll",
               "\"exact phrase\"", "table or desk", "and/or", "5 < 10", "1:1 scale model", "order by price", "null hypothesis book",
               "delete key keyboard", "script writing course", "alert bracelet", "sleep mask", "exec chair", "kids' toys", "50% off",
               "c++ primer", "#hashtag mug", "<3 necklace", "javascript: the good parts", "ping pong table", "wget manual", "bash the mole game"]

FOREIGN = [
    "Bitte stornieren Sie meine Bestellung, ich habe mich vertan.", "Où est ma commande ? Elle devait arriver hier.", "¿Dónde está mi pedido? Ya pasaron 5 días.",
    "注文はいつ届きますか？", "Grazie mille, il prodotto è perfetto!", "Não recebi o código de rastreio.", "Kan ik mijn adres nog wijzigen?",
    "Czy mogę zapłacić przelewem?", "Заказ пришёл повреждённым, нужна замена.", "Vielen Dank für die schnelle Lieferung – alles bestens!",
    "L'article n'est pas conforme à la description.", "Il manque une pièce dans le colis.", "Die Größe fällt klein aus, lieber eine Nummer größer bestellen.",
]
# Sentence templates: {p} product, {n} number, {d} day, {who} first name, {c} city.
TEMPLATES = [
    "I ordered the {p} on {d} and it hasn't arrived yet.", "Can you confirm order {n} ships to {c}?", "The {p} stopped working after {k} days.",
    "Please refund order {n}, the {p} was the wrong size.", "{who} from our team will pick up the {p} on {d}.", "Do you have the {p} in stock in {c}?",
    "We need {k} more units of the {p} for the {c} office.", "Tracking for order {n} says delivered but nothing is here.",
    "Is there a discount if we buy {k} x {p}?", "Hi, {who} here - the invoice for order {n} shows the wrong VAT.",
    "Thanks {who}! The {p} works great.", "Could you combine orders {n} and {n2}?", "The {p} arrived scratched, photos attached.",
    "Please update my phone number, I moved to {c}.", "Rescheduling our call to {d}, 10:30 works for me.",
]
HARD_TEMPLATES = [
    "Please select the {p} in the drop-down; it's not listed for {c}.", "I'd like to delete order {n} and order the {p} instead.",
    "My name is {who} O'Neill - please don't abbreviate it.", "Union Station pickup for order {n}, or {c} if that's easier.",
    "The '{p}' (the one with the \"premium\" tag) is out of stock again.", "Drop the {p} from order {n}, I'll order it separately.",
    "Can you update the table on the invoice for order {n}? Quantity 2 -> 3.", "Order {n}: 1 x {p} and/or 2 x gift wrap, whichever is cheaper.",
]
