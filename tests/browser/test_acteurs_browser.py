"""/acteurs in a real browser: who to call in Occitanie, and the list downloaded as CSV."""


def test_occitanie_contacts_and_csv(server, visit):
    v = visit(f"{server}/acteurs?region=76")
    v.wait_text("Qui contacter en Occitanie")
    v.wait_text("Adefpat")
    link = v.page.get_by_role("link", name="www.cressoccitanie.org", exact=True)
    assert link.get_attribute("href") == "https://www.cressoccitanie.org"
    with v.page.expect_download(timeout=60_000) as info:
        v.page.get_by_role("button", name="Télécharger cette liste (CSV pour Excel)").click()
    assert info.value.suggested_filename == "contacts-occitanie.csv"
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM for French Excel
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == ("Région;Rôle;Département;Nom;Site;Remarque;Source;Adresse de la source")
    assert lines[1].startswith("Occitanie;DLA régional;;non relevé : voir https://www.info-dla.fr")
    (lozere,) = [line for line in lines if ";Lozère (48);" in line]
    assert lozere.startswith("Occitanie;DLA départemental;Lozère (48);Adefpat;")
    assert lozere.endswith(";https://adefpat.fr/actus/dla-en-lozere-une-mission-reconduite-pour"
                           "-ladefpat")
    assert len(lines) == 1 + 1 + 3 + 13 + 1  # header, regional DLA, 3 bodies, 13 depts, footer
    assert lines[-1].startswith("Extrait le ")
    assert v.exceptions() == []
    assert v.outside == [], "requests left localhost"
