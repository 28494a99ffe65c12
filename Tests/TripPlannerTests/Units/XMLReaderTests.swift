@testable import API
import Testing

/// The strict XML reader GPX import uses: the events it gives, and every malformed document refused.
@Suite struct XMLReaderTests {
    /// The events of `document`, each start with its attributes, or the failure.
    static func read(_ document: String) -> Result<[String], XMLReader.Failure> {
        Result { () throws(XMLReader.Failure) -> [String] in
            var reader = try XMLReader(Array(document.utf8), maxAttributes: 4, maxDepth: 4)
            var events: [String] = []
            while let event = try reader.next() {
                switch event {
                case .start(let name): events.append("<\(name)" + reader.attributes.map { " \($0.name)=[\($0.value)]" }.joined() + ">")
                case .end(let name): events.append("</\(name)>")
                case .text(let text): events.append(text)
                }
            }
            return events
        }
    }

    @Test func readsElementsAttributesTextReferencesAndCDATA() {
        let document = "\u{FEFF}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- a -->\r\n<g:gpx a='1 &amp;\r\n\t2' b=\"&#x3C;&#62;\"><n>x &lt;&gt;&quot;&apos; &#x1F600;\r\ny\rz</n>"
            + "<?pi data?><e/><![CDATA[<&]]>]]&gt;</g:gpx><?after?>\n"
        #expect(Self.read(document) == .success([
            "<gpx a=[1 &  2] b=[<>]>", "<n>", "x <>\"' \u{1F600}\ny\nz", "</n>", "<e>", "</e>", "<&", "]]>", "</gpx>",
        ]))
    }

    @Test(arguments: [
        "", "text", "<a>", "<a></b>", "<a/><b/>", "<a/>text", "<a b='1' b='2'/>", "<a b='<'/>", "<a b=1/>", "<a b='1'c='2'/>",
        "<a>&nbsp;</a>", "<a>&amp</a>", "<a>&#;</a>", "<a>&#x;</a>", "<a>&#12a;</a>", "<a>]]></a>", "<a><!-- -- --></a>",
        "<a><!-- -></a>", "<a><?xml version='1.0'?></a>", "<a><?XmL?></a>", " <?xml version='1.0'?><a/>", "<a><![CDATA[x</a>",
        "<a:b:c/>", "<:a/>", "<a:/>", "<1a/>", "<a:1b/>", "<a b:-c=''/>", "<a><!ELEMENT a ANY></a>", "<?xml version='2.0'?><a/>", "<?xml encoding='UTF-8'?><a/>",
        "<?xml version='1.0' standalone='maybe'?><a/>", "<?xml version='1.0'><a/>", "<![CDATA[x]]><a/>", "<a>\u{1}</a>",
        "<a>\u{FFFE}</a>", "<a b='\u{FFFF}'/>", "<a", "<a b", "<a b=", "<a b='", "</a>",
    ])
    func refusesWhatIsNotWellFormed(document: String) {
        guard case .failure(.malformed) = Self.read(document) else {
            Issue.record("read: \(Self.read(document))")
            return
        }
    }

    @Test(arguments: ["&#0;", "&#1;", "&#x8;", "&#x1F;", "&#xFFFE;", "&#xFFFF;", "&#xD800;", "&#xDFFF;", "&#x110000;", "&#99999999999999999999;"])
    func numericReferencesToForbiddenCharactersAreRefused(reference: String) {
        #expect(Self.read("<a>\(reference)</a>") == .failure(.malformed(at: 3)))
        #expect(Self.read("<a b='\(reference)'/>") == .failure(.malformed(at: 6)))
    }

    @Test func numericReferencesToAllowedCharactersAreRead() {
        #expect(Self.read("<a>&#9;&#xA;&#13;&#x20;&#xD7FF;&#xE000;&#xFFFD;&#x10000;&#x10FFFF;</a>")
            == .success(["<a>", "\t\n\r \u{D7FF}\u{E000}\u{FFFD}\u{10000}\u{10FFFF}", "</a>"]))
    }

    @Test func refusesEveryDTDAndEveryEncodingButUTF8() {
        #expect(Self.read("<!DOCTYPE a><a/>") == .failure(.doctype))
        #expect(Self.read("<?xml version='1.0'?><!-- x --><?pi?> <!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>") == .failure(.doctype))
        #expect(Self.read("<?xml version='1.0' encoding='UTF-16'?><a/>") == .failure(.notUTF8))
        #expect(Self.read("<?xml version='1.0' encoding='utf-8-x'?><a/>") == .failure(.notUTF8))
        #expect(Self.read("<a>\u{0}</a>") == .failure(.notUTF8))
        #expect((try? XMLReader([0x3C, 0x61, 0x3E, 0xC0, 0xAF, 0x3C, 0x2F, 0x61, 0x3E], maxAttributes: 1, maxDepth: 1)) == nil)
    }

    @Test func attributeNamesAreComparedAsCharactersNotAsCanonicallyEquivalentStrings() {
        #expect(Self.read("<a \u{E9}='1' e\u{301}='2'/>") == .success(["<a \u{E9}=[1] e\u{301}=[2]>", "</a>"]))
        #expect(Self.read("<a e\u{301}='1' e\u{301}='2'/>") == .failure(.malformed(at: 11)))
    }

    @Test func capsAttributesAndDepth() {
        #expect(Self.read("<a b='' c='' d='' e=''/>") == .success(["<a b=[] c=[] d=[] e=[]>", "</a>"]))
        #expect(Self.read("<a b='' c='' d='' e='' f=''/>") == .failure(.tooManyAttributes))
        #expect(Self.read("<a><a><a><a/></a></a></a>") == .success(["<a>", "<a>", "<a>", "<a>", "</a>", "</a>", "</a>", "</a>"]))
        #expect(Self.read("<a><a><a><a><a/></a></a></a></a>") == .failure(.tooDeep))
    }
}
