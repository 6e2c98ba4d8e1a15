# Generated from forms/prereview_panel.ui by hallclient.ui.formbuild (pyside6-uic). Do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
    QLabel, QLineEdit, QPushButton, QRadioButton,
    QSizePolicy, QTableView, QTextBrowser, QVBoxLayout,
    QWidget)

class Ui_PrereviewPanel(object):
    def setupUi(self, PrereviewPanel):
        if not PrereviewPanel.objectName():
            PrereviewPanel.setObjectName(u"PrereviewPanel")
        PrereviewPanel.resize(1070, 640)
        self.prereviewLayout = QVBoxLayout(PrereviewPanel)
        self.prereviewLayout.setSpacing(4)
        self.prereviewLayout.setObjectName(u"prereviewLayout")
        self.prereviewLayout.setContentsMargins(4, 4, 4, 4)
        self.headerRow = QHBoxLayout()
        self.headerRow.setObjectName(u"headerRow")
        self.prereviewTitle = QLabel(PrereviewPanel)
        self.prereviewTitle.setObjectName(u"prereviewTitle")

        self.headerRow.addWidget(self.prereviewTitle)

        self.prereviewMeta = QLabel(PrereviewPanel)
        self.prereviewMeta.setObjectName(u"prereviewMeta")

        self.headerRow.addWidget(self.prereviewMeta)

        self.chooseButton = QPushButton(PrereviewPanel)
        self.chooseButton.setObjectName(u"chooseButton")

        self.headerRow.addWidget(self.chooseButton)

        self.headerRow.setStretch(0, 1)

        self.prereviewLayout.addLayout(self.headerRow)

        self.bodyRow = QHBoxLayout()
        self.bodyRow.setObjectName(u"bodyRow")
        self.leftColumn = QVBoxLayout()
        self.leftColumn.setObjectName(u"leftColumn")
        self.applicantBox = QGroupBox(PrereviewPanel)
        self.applicantBox.setObjectName(u"applicantBox")
        self.applicantBox.setMinimumSize(QSize(330, 0))
        self.applicantBox.setMaximumSize(QSize(360, 16777215))
        self.applicantForm = QFormLayout(self.applicantBox)
        self.applicantForm.setObjectName(u"applicantForm")
        self.applicantForm.setVerticalSpacing(4)
        self.kindCaption = QLabel(self.applicantBox)
        self.kindCaption.setObjectName(u"kindCaption")

        self.applicantForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.kindCaption)

        self.kindRow = QHBoxLayout()
        self.kindRow.setObjectName(u"kindRow")
        self.personRadio = QRadioButton(self.applicantBox)
        self.personRadio.setObjectName(u"personRadio")
        self.personRadio.setChecked(True)

        self.kindRow.addWidget(self.personRadio)

        self.organisationRadio = QRadioButton(self.applicantBox)
        self.organisationRadio.setObjectName(u"organisationRadio")

        self.kindRow.addWidget(self.organisationRadio)


        self.applicantForm.setLayout(0, QFormLayout.ItemRole.FieldRole, self.kindRow)

        self.nameCaption = QLabel(self.applicantBox)
        self.nameCaption.setObjectName(u"nameCaption")

        self.applicantForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.nameCaption)

        self.nameEdit = QLineEdit(self.applicantBox)
        self.nameEdit.setObjectName(u"nameEdit")

        self.applicantForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.nameEdit)

        self.usccCaption = QLabel(self.applicantBox)
        self.usccCaption.setObjectName(u"usccCaption")

        self.applicantForm.setWidget(2, QFormLayout.ItemRole.LabelRole, self.usccCaption)

        self.usccEdit = QLineEdit(self.applicantBox)
        self.usccEdit.setObjectName(u"usccEdit")
        self.usccEdit.setMaxLength(18)

        self.applicantForm.setWidget(2, QFormLayout.ItemRole.FieldRole, self.usccEdit)

        self.legalRepCaption = QLabel(self.applicantBox)
        self.legalRepCaption.setObjectName(u"legalRepCaption")

        self.applicantForm.setWidget(3, QFormLayout.ItemRole.LabelRole, self.legalRepCaption)

        self.legalRepEdit = QLineEdit(self.applicantBox)
        self.legalRepEdit.setObjectName(u"legalRepEdit")

        self.applicantForm.setWidget(3, QFormLayout.ItemRole.FieldRole, self.legalRepEdit)

        self.idTypeCaption = QLabel(self.applicantBox)
        self.idTypeCaption.setObjectName(u"idTypeCaption")

        self.applicantForm.setWidget(4, QFormLayout.ItemRole.LabelRole, self.idTypeCaption)

        self.idTypeCombo = QComboBox(self.applicantBox)
        self.idTypeCombo.setObjectName(u"idTypeCombo")

        self.applicantForm.setWidget(4, QFormLayout.ItemRole.FieldRole, self.idTypeCombo)

        self.idNumberCaption = QLabel(self.applicantBox)
        self.idNumberCaption.setObjectName(u"idNumberCaption")

        self.applicantForm.setWidget(5, QFormLayout.ItemRole.LabelRole, self.idNumberCaption)

        self.idNumberEdit = QLineEdit(self.applicantBox)
        self.idNumberEdit.setObjectName(u"idNumberEdit")
        self.idNumberEdit.setMaxLength(32)

        self.applicantForm.setWidget(5, QFormLayout.ItemRole.FieldRole, self.idNumberEdit)

        self.phoneCaption = QLabel(self.applicantBox)
        self.phoneCaption.setObjectName(u"phoneCaption")

        self.applicantForm.setWidget(6, QFormLayout.ItemRole.LabelRole, self.phoneCaption)

        self.phoneEdit = QLineEdit(self.applicantBox)
        self.phoneEdit.setObjectName(u"phoneEdit")
        self.phoneEdit.setMaxLength(20)

        self.applicantForm.setWidget(6, QFormLayout.ItemRole.FieldRole, self.phoneEdit)

        self.agentNameCaption = QLabel(self.applicantBox)
        self.agentNameCaption.setObjectName(u"agentNameCaption")

        self.applicantForm.setWidget(7, QFormLayout.ItemRole.LabelRole, self.agentNameCaption)

        self.agentNameEdit = QLineEdit(self.applicantBox)
        self.agentNameEdit.setObjectName(u"agentNameEdit")

        self.applicantForm.setWidget(7, QFormLayout.ItemRole.FieldRole, self.agentNameEdit)

        self.agentIdCaption = QLabel(self.applicantBox)
        self.agentIdCaption.setObjectName(u"agentIdCaption")

        self.applicantForm.setWidget(8, QFormLayout.ItemRole.LabelRole, self.agentIdCaption)

        self.agentIdEdit = QLineEdit(self.applicantBox)
        self.agentIdEdit.setObjectName(u"agentIdEdit")
        self.agentIdEdit.setMaxLength(18)

        self.applicantForm.setWidget(8, QFormLayout.ItemRole.FieldRole, self.agentIdEdit)

        self.agentPoaCheck = QCheckBox(self.applicantBox)
        self.agentPoaCheck.setObjectName(u"agentPoaCheck")

        self.applicantForm.setWidget(9, QFormLayout.ItemRole.FieldRole, self.agentPoaCheck)

        self.badCreditCheck = QCheckBox(self.applicantBox)
        self.badCreditCheck.setObjectName(u"badCreditCheck")
        self.badCreditCheck.setVisible(False)

        self.applicantForm.setWidget(10, QFormLayout.ItemRole.FieldRole, self.badCreditCheck)

        self.applicantProblems = QLabel(self.applicantBox)
        self.applicantProblems.setObjectName(u"applicantProblems")
        self.applicantProblems.setWordWrap(True)

        self.applicantForm.setWidget(11, QFormLayout.ItemRole.SpanningRole, self.applicantProblems)


        self.leftColumn.addWidget(self.applicantBox)

        self.consentBox = QGroupBox(PrereviewPanel)
        self.consentBox.setObjectName(u"consentBox")
        self.consentLayout = QVBoxLayout(self.consentBox)
        self.consentLayout.setSpacing(2)
        self.consentLayout.setObjectName(u"consentLayout")
        self.helpRadio = QRadioButton(self.consentBox)
        self.helpRadio.setObjectName(u"helpRadio")
        self.helpRadio.setChecked(True)

        self.consentLayout.addWidget(self.helpRadio)

        self.agentRadio = QRadioButton(self.consentBox)
        self.agentRadio.setObjectName(u"agentRadio")

        self.consentLayout.addWidget(self.agentRadio)

        self.poaCheck = QCheckBox(self.consentBox)
        self.poaCheck.setObjectName(u"poaCheck")
        self.poaCheck.setEnabled(False)

        self.consentLayout.addWidget(self.poaCheck)


        self.leftColumn.addWidget(self.consentBox)


        self.bodyRow.addLayout(self.leftColumn)

        self.checklistColumn = QVBoxLayout()
        self.checklistColumn.setObjectName(u"checklistColumn")
        self.checklistHint = QLabel(PrereviewPanel)
        self.checklistHint.setObjectName(u"checklistHint")
        self.checklistHint.setWordWrap(True)

        self.checklistColumn.addWidget(self.checklistHint)

        self.checklistTable = QTableView(PrereviewPanel)
        self.checklistTable.setObjectName(u"checklistTable")
        self.checklistTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checklistTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklistTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checklistTable.setTabKeyNavigation(False)

        self.checklistColumn.addWidget(self.checklistTable)

        self.markProblem = QLabel(PrereviewPanel)
        self.markProblem.setObjectName(u"markProblem")

        self.checklistColumn.addWidget(self.markProblem)

        self.remarkForm = QFormLayout()
        self.remarkForm.setObjectName(u"remarkForm")
        self.remarkForm.setVerticalSpacing(3)
        self.materialRemarkCaption = QLabel(PrereviewPanel)
        self.materialRemarkCaption.setObjectName(u"materialRemarkCaption")

        self.remarkForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.materialRemarkCaption)

        self.materialRemarkEdit = QLineEdit(PrereviewPanel)
        self.materialRemarkEdit.setObjectName(u"materialRemarkEdit")

        self.remarkForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.materialRemarkEdit)

        self.remarkCaption = QLabel(PrereviewPanel)
        self.remarkCaption.setObjectName(u"remarkCaption")

        self.remarkForm.setWidget(1, QFormLayout.ItemRole.LabelRole, self.remarkCaption)

        self.remarkEdit = QLineEdit(PrereviewPanel)
        self.remarkEdit.setObjectName(u"remarkEdit")

        self.remarkForm.setWidget(1, QFormLayout.ItemRole.FieldRole, self.remarkEdit)


        self.checklistColumn.addLayout(self.remarkForm)

        self.outcomeBox = QGroupBox(PrereviewPanel)
        self.outcomeBox.setObjectName(u"outcomeBox")
        self.outcomeLayout = QHBoxLayout(self.outcomeBox)
        self.outcomeLayout.setObjectName(u"outcomeLayout")
        self.outcomeLabel = QLabel(self.outcomeBox)
        self.outcomeLabel.setObjectName(u"outcomeLabel")
        self.outcomeLabel.setMinimumSize(QSize(190, 0))
        self.outcomeLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.outcomeLabel.setWordWrap(True)

        self.outcomeLayout.addWidget(self.outcomeLabel)

        self.missingView = QTextBrowser(self.outcomeBox)
        self.missingView.setObjectName(u"missingView")
        self.missingView.setMinimumSize(QSize(0, 70))
        self.missingView.setMaximumSize(QSize(16777215, 96))

        self.outcomeLayout.addWidget(self.missingView)

        self.outcomeButtons = QVBoxLayout()
        self.outcomeButtons.setObjectName(u"outcomeButtons")
        self.notHallCheck = QCheckBox(self.outcomeBox)
        self.notHallCheck.setObjectName(u"notHallCheck")

        self.outcomeButtons.addWidget(self.notHallCheck)

        self.saveButton = QPushButton(self.outcomeBox)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setEnabled(False)

        self.outcomeButtons.addWidget(self.saveButton)

        self.cancelButton = QPushButton(self.outcomeBox)
        self.cancelButton.setObjectName(u"cancelButton")
        self.cancelButton.setEnabled(False)

        self.outcomeButtons.addWidget(self.cancelButton)


        self.outcomeLayout.addLayout(self.outcomeButtons)

        self.outcomeLayout.setStretch(1, 1)

        self.checklistColumn.addWidget(self.outcomeBox)

        self.savedRow = QHBoxLayout()
        self.savedRow.setObjectName(u"savedRow")
        self.numberCaption = QLabel(PrereviewPanel)
        self.numberCaption.setObjectName(u"numberCaption")

        self.savedRow.addWidget(self.numberCaption)

        self.numberLabel = QLabel(PrereviewPanel)
        self.numberLabel.setObjectName(u"numberLabel")
        self.numberLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.savedRow.addWidget(self.numberLabel)

        self.printButton = QPushButton(PrereviewPanel)
        self.printButton.setObjectName(u"printButton")
        self.printButton.setEnabled(False)

        self.savedRow.addWidget(self.printButton)

        self.savedRow.setStretch(1, 1)

        self.checklistColumn.addLayout(self.savedRow)

        self.checklistColumn.setStretch(1, 1)

        self.bodyRow.addLayout(self.checklistColumn)

        self.bodyRow.setStretch(1, 1)

        self.prereviewLayout.addLayout(self.bodyRow)

        self.mineBox = QGroupBox(PrereviewPanel)
        self.mineBox.setObjectName(u"mineBox")
        self.mineLayout = QVBoxLayout(self.mineBox)
        self.mineLayout.setObjectName(u"mineLayout")
        self.mineLayout.setContentsMargins(2, 2, 2, 2)
        self.mineTable = QTableView(self.mineBox)
        self.mineTable.setObjectName(u"mineTable")
        self.mineTable.setMinimumSize(QSize(0, 120))
        self.mineTable.setMaximumSize(QSize(16777215, 150))
        self.mineTable.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.mineTable.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.mineTable.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)

        self.mineLayout.addWidget(self.mineTable)


        self.prereviewLayout.addWidget(self.mineBox)

        self.prereviewLayout.setStretch(1, 1)
        QWidget.setTabOrder(self.personRadio, self.organisationRadio)
        QWidget.setTabOrder(self.organisationRadio, self.nameEdit)
        QWidget.setTabOrder(self.nameEdit, self.usccEdit)
        QWidget.setTabOrder(self.usccEdit, self.legalRepEdit)
        QWidget.setTabOrder(self.legalRepEdit, self.idTypeCombo)
        QWidget.setTabOrder(self.idTypeCombo, self.idNumberEdit)
        QWidget.setTabOrder(self.idNumberEdit, self.phoneEdit)
        QWidget.setTabOrder(self.phoneEdit, self.agentNameEdit)
        QWidget.setTabOrder(self.agentNameEdit, self.agentIdEdit)
        QWidget.setTabOrder(self.agentIdEdit, self.agentPoaCheck)
        QWidget.setTabOrder(self.agentPoaCheck, self.helpRadio)
        QWidget.setTabOrder(self.helpRadio, self.agentRadio)
        QWidget.setTabOrder(self.agentRadio, self.poaCheck)
        QWidget.setTabOrder(self.poaCheck, self.checklistTable)
        QWidget.setTabOrder(self.checklistTable, self.materialRemarkEdit)
        QWidget.setTabOrder(self.materialRemarkEdit, self.remarkEdit)
        QWidget.setTabOrder(self.remarkEdit, self.notHallCheck)
        QWidget.setTabOrder(self.notHallCheck, self.saveButton)

        self.retranslateUi(PrereviewPanel)

        QMetaObject.connectSlotsByName(PrereviewPanel)
    # setupUi

    def retranslateUi(self, PrereviewPanel):
        self.prereviewTitle.setText(QCoreApplication.translate("PrereviewPanel", u"\u5c1a\u672a\u5f00\u59cb\u9884\u5ba1\uff1a\u5728\u300c\u4e8b\u9879\u6e05\u5355\u300d\u4e2d\u9009\u62e9\u4e8b\u9879\u6216\u4e00\u4ef6\u4e8b\u540e\u6309 Enter", None))
        self.prereviewMeta.setText("")
        self.chooseButton.setText(QCoreApplication.translate("PrereviewPanel", u"\u9009\u62e9\u4e8b\u9879\u2026 (Ctrl+F)", None))
        self.applicantBox.setTitle(QCoreApplication.translate("PrereviewPanel", u"\u7533\u8bf7\u4eba\uff08\u5c06\u5e26\u5230\u7a97\u53e3\uff09", None))
        self.kindCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u7c7b\u578b", None))
        self.personRadio.setText(QCoreApplication.translate("PrereviewPanel", u"\u4e2a\u4eba", None))
        self.organisationRadio.setText(QCoreApplication.translate("PrereviewPanel", u"\u5355\u4f4d", None))
        self.nameCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u59d3\u540d/\u540d\u79f0", None))
        self.usccCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u4fe1\u7528\u4ee3\u7801", None))
        self.legalRepCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u6cd5\u5b9a\u4ee3\u8868\u4eba", None))
        self.idTypeCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u8bc1\u4ef6\u7c7b\u578b", None))
        self.idNumberCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u8bc1\u4ef6\u53f7\u7801", None))
        self.phoneCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u8054\u7cfb\u7535\u8bdd", None))
        self.agentNameCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u4ee3\u7406\u4eba", None))
        self.agentNameEdit.setPlaceholderText(QCoreApplication.translate("PrereviewPanel", u"\u672c\u4eba\u529e\u7406\u53ef\u4e0d\u586b", None))
        self.agentIdCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u4ee3\u7406\u4eba\u8eab\u4efd\u8bc1", None))
        self.agentPoaCheck.setText(QCoreApplication.translate("PrereviewPanel", u"\u5df2\u63d0\u4ea4\u6388\u6743\u59d4\u6258\u4e66", None))
        self.badCreditCheck.setText(QCoreApplication.translate("PrereviewPanel", u"\u4fe1\u7528\u6838\u67e5\uff1a\u5b58\u5728\u5931\u4fe1\u8bb0\u5f55", None))
        self.applicantProblems.setText("")
        self.consentBox.setTitle(QCoreApplication.translate("PrereviewPanel", u"\u7533\u8bf7\u4eba\u610f\u613f\uff08\u5e2e\u529e\u4ee3\u529e\u81ea\u613f\u3001\u514d\u8d39\uff09", None))
        self.helpRadio.setText(QCoreApplication.translate("PrereviewPanel", u"\u5e2e\u529e\uff1a\u7533\u8bf7\u4eba\u81ea\u613f\u8bf7\u6c42\u534f\u52a9", None))
        self.agentRadio.setText(QCoreApplication.translate("PrereviewPanel", u"\u4ee3\u529e\uff1a\u4ee3\u7533\u8bf7\u4eba\u529e\u7406", None))
        self.poaCheck.setText(QCoreApplication.translate("PrereviewPanel", u"\u5df2\u7b7e\u7f72\u4ee3\u529e\u59d4\u6258\u4e66", None))
        self.checklistHint.setText(QCoreApplication.translate("PrereviewPanel", u"\u4e0e\u7a97\u53e3\u76f8\u540c\u7684\u6309\u952e\uff1a\u2191\u2193 \u9009\u884c\uff0c1 \u539f\u4ef6 2 \u590d\u5370\u4ef6 3 \u7535\u5b50\u8bc1\u7167 4 \u544a\u77e5\u627f\u8bfa 5 \u5bb9\u7f3a 6 \u7f3a\u5c11 7 \u4e0d\u7b26\u5408\u8981\u6c42 8 \u4e0d\u9002\u7528\uff0c\u7a7a\u683c \u6536\u53d6/\u7f3a\u5c11\uff1bEnter \u586b\u5199\u672c\u884c\u5907\u6ce8", None))
        self.markProblem.setText("")
        self.materialRemarkCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u672c\u884c\u5907\u6ce8", None))
        self.materialRemarkEdit.setPlaceholderText(QCoreApplication.translate("PrereviewPanel", u"\u5bf9\u6240\u9009\u6750\u6599\u7684\u9884\u5ba1\u610f\u89c1\uff08Enter \u56de\u5230\u6e05\u5355\u4e0b\u4e00\u884c\uff09", None))
        self.remarkCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u603b\u4f53\u610f\u89c1", None))
        self.remarkEdit.setPlaceholderText(QCoreApplication.translate("PrereviewPanel", u"\u5bf9\u7533\u8bf7\u4eba\u7684\u603b\u4f53\u63d0\u793a\uff08\u6253\u5370\u5728\u610f\u89c1\u5355\u4e0a\uff09", None))
        self.outcomeBox.setTitle(QCoreApplication.translate("PrereviewPanel", u"\u9884\u5ba1\u7ed3\u8bba\uff08\u968f\u52fe\u9009\u5b9e\u65f6\u66f4\u65b0\uff09", None))
        self.outcomeLabel.setText(QCoreApplication.translate("PrereviewPanel", u"\u2014", None))
        self.notHallCheck.setText(QCoreApplication.translate("PrereviewPanel", u"\u4e0d\u5c5e\u4e8e\u672c\u5927\u5385\u4e8b\u9879", None))
        self.saveButton.setText(QCoreApplication.translate("PrereviewPanel", u"\u4fdd\u5b58\u9884\u5ba1 (Ctrl+Enter)", None))
        self.cancelButton.setText(QCoreApplication.translate("PrereviewPanel", u"\u653e\u5f03 (Ctrl+W)", None))
        self.numberCaption.setText(QCoreApplication.translate("PrereviewPanel", u"\u9884\u5ba1\u7f16\u53f7", None))
        self.numberLabel.setText(QCoreApplication.translate("PrereviewPanel", u"\u2014", None))
        self.printButton.setText(QCoreApplication.translate("PrereviewPanel", u"\u9884\u89c8/\u6253\u5370\u9884\u5ba1\u610f\u89c1\u5355 (Ctrl+P)", None))
        self.mineBox.setTitle(QCoreApplication.translate("PrereviewPanel", u"\u6211\u7684\u9884\u5ba1\uff08\u53bb\u5411\uff1a\u5df2\u5728\u54ea\u4e2a\u7a97\u53e3\u53d7\u7406\u3001\u529e\u4ef6\u7f16\u53f7\uff0c\u6216\u5c1a\u672a\u4f7f\u7528\uff09", None))
        pass
    # retranslateUi

