package audit

import (
	"archive/zip"
	"errors"
	"io"
	"os"

	"github.com/richardlehane/mscfb"
	"github.com/xuri/excelize/v2"

	"entitle/engine/household"
)

// Password gives the password that opens an Excel roll saved with one
// (Excel: 文件 → 信息 → 保护工作簿 → 用密码进行加密; WPS: 文档加密). A roll
// holding citizen IDs is often sent that way. A workbook without a password
// is read as before, whatever this says.
func Password(pw string) TabularOption {
	return func(c *tabularConfig) { c.password = pw }
}

// Encrypted reports whether the file at path is an Excel workbook saved with
// a password to open. Such a workbook is not a zip but a compound file (as
// an .xls is), holding the encrypted .xlsx as its stream EncryptedPackage
// (ECMA-376, part 2, Office Document Cryptography).
func Encrypted(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	doc, err := mscfb.New(f)
	if err != nil {
		return false
	}
	for entry, err := doc.Next(); err == nil; entry, err = doc.Next() {
		if entry.Name == "EncryptedPackage" {
			return true
		}
	}
	return false
}

// openWorkbook opens an .xlsx roll, decrypting it with password if it is
// encrypted. Its errors name the file and say, in English and Chinese,
// what to do.
func openWorkbook(path, password string) (*excelize.File, error) {
	encrypted := Encrypted(path)
	if encrypted && password == "" {
		return nil, household.Errorf("%s is encrypted (saved with a password to open): give the password in a file with --password-file, or save the workbook without it",
			"%s 已加密（设有打开密码）：用 --password-file 给出存放密码的文件，或在 Excel 或 WPS 中取消密码另存后再核对", path)
	}
	f, err := excelize.OpenFile(path, excelize.Options{Password: password})
	switch {
	case err == nil:
		return f, nil
	case encrypted:
		return nil, household.Errorf("%s: the password does not open it (or its encryption is not one Excel uses)",
			"%s：密码不对，无法打开（或其加密方式不是 Excel 所用的）", path)
	case errors.Is(err, zip.ErrFormat), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, household.Errorf("%s is not an Excel workbook (.xlsx), or it is damaged: %v",
			"%s 不是 Excel 工作簿（.xlsx），或文件已损坏（%v）：请在 Excel 或 WPS 中打开并另存为 .xlsx 工作簿", path, err)
	}
	return nil, household.Errorf("%s cannot be read as an Excel workbook (.xlsx): %v",
		"%s 无法作为 Excel 工作簿（.xlsx）读取：%v", path, err)
}
