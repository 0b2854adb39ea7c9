package sources

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCleanPinyin(t *testing.T) {
	raw := "各鄉(xiāng)人民政府,(一)總體要求,應用程序(APP)的改造,殘疾人就業(yè)。"
	got, repairs, err := Clean(raw, Spec{Pinyin: true})
	require.NoError(t, err)
	assert.Equal(t, "各鄉人民政府,(一)總體要求,應用程序(APP)的改造,殘疾人就業。", got)
	require.Len(t, repairs, 2)
	assert.Equal(t, Repair{Kind: "pinyin", Line: 1, Column: 3, Before: "(xiāng)", After: "", Note: "pinyin gloss removed"}, repairs[0])
}

func TestCleanMojibakeAndOtherDamage(t *testing.T) {
	var raw, want strings.Builder
	for _, m := range Mojibake {
		raw.WriteString(m.Run + "|")
		want.WriteString(m.Reading + "|")
	}
	raw.WriteString("\n結合365体育投注實際 and 其他")
	want.WriteString("\n結合" + LostWordMarker + "實際和其他")
	got, repairs, err := Clean(raw.String(), Spec{Mojibake: true, LostWord: "365体育投注", StrayEnglish: []string{" and "}, Replacement: []string{"和"}})
	require.NoError(t, err)
	assert.Equal(t, want.String(), got)
	kinds := []string{}
	for _, r := range repairs {
		kinds = append(kinds, r.Kind)
	}
	assert.Equal(t, []string{"mojibake", "mojibake", "mojibake", "mojibake", "mojibake", "lost_word", "stray_english"}, kinds)
	assert.Equal(t, 2, repairs[5].Line)
	assert.NotContains(t, got, "\ue5dd", "the private-use characters go with their runs")
	assert.NotContains(t, got, "\ue367")

	// A raw text missing one of the listed runs is refused, not half cleaned.
	_, _, err = Clean("當?shù)氐捅\ue5dd藴?~10%", Spec{Mojibake: true})
	assert.Error(t, err)
}

func TestCleanRefusesWhatItCannotFind(t *testing.T) {
	_, _, err := Clean("nothing here", Spec{LostWord: "365体育投注"})
	assert.Error(t, err)
	_, _, err = Clean("\xff", Spec{})
	assert.Error(t, err)
}

func TestQuoteMatching(t *testing.T) {
	text := NewText("第一行的句子，\n跨越了换行\u3000和空格。\n")
	assert.True(t, text.Contains("句子，跨越了换行和空格。"))
	assert.True(t, text.Contains("跨越了 换行"))
	assert.False(t, text.Contains("跨越了換行"), "a different character never matches")
	assert.False(t, text.Contains("  "))
	before, match, after, ok := text.Context("换行", 3)
	require.True(t, ok)
	assert.Equal(t, "跨越了", before)
	assert.Equal(t, "换行", match)
	assert.True(t, strings.HasPrefix(after, "和空格"))
	assert.Equal(t, 4, text.Nearest("跨越了换錯"))
}

// TestSentenceAround: the text around a quote is trimmed to the quote's own
// sentence; … marks where the text given stops short of its ends.
func TestSentenceAround(t *testing.T) {
	tests := []struct {
		name, before, quote, after, wantBefore, wantAfter string
	}{
		{"mid-sentence", "上一句。前半句,", "引文", ",后半句。下一句", "前半句,", ",后半句。"},
		{"the quote ends its sentence", "上一句。", "引文。", "下一句。", "", ""},
		{"a semicolon ends a sentence too", "甲；乙,", "引文", ",丙；丁", "乙,", ",丙；"},
		{"cut short both ways", "前半句,", "引文", ",后半句", "…前半句,", ",后半句…"},
		{"at the start and end of the text", "", "引文", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, after := SentenceAround(tt.before, tt.quote, tt.after)
			assert.Equal(t, tt.wantBefore, before)
			assert.Equal(t, tt.wantAfter, after)
		})
	}
}
