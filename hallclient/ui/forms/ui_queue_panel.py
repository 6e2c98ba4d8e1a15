# Generated from forms/queue_panel.ui by hallclient.ui.formbuild (pyside6-uic). Do not edit.
# -*- coding: utf-8 -*-


from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QFrame, QGridLayout, QHBoxLayout,
    QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_QueuePanel(object):
    def setupUi(self, QueuePanel):
        if not QueuePanel.objectName():
            QueuePanel.setObjectName(u"QueuePanel")
        QueuePanel.resize(520, 520)
        self.panelLayout = QVBoxLayout(QueuePanel)
        self.panelLayout.setObjectName(u"panelLayout")
        self.panelLayout.setContentsMargins(6, 6, 6, 6)
        self.headerLayout = QHBoxLayout()
        self.headerLayout.setObjectName(u"headerLayout")
        self.titleLabel = QLabel(QueuePanel)
        self.titleLabel.setObjectName(u"titleLabel")

        self.headerLayout.addWidget(self.titleLabel)

        self.headerSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.headerLayout.addItem(self.headerSpacer)

        self.connectionLabel = QLabel(QueuePanel)
        self.connectionLabel.setObjectName(u"connectionLabel")

        self.headerLayout.addWidget(self.connectionLabel)


        self.panelLayout.addLayout(self.headerLayout)

        self.currentFrame = QFrame(QueuePanel)
        self.currentFrame.setObjectName(u"currentFrame")
        self.currentFrame.setFrameShape(QFrame.Shape.StyledPanel)
        self.currentLayout = QVBoxLayout(self.currentFrame)
        self.currentLayout.setObjectName(u"currentLayout")
        self.currentCaption = QLabel(self.currentFrame)
        self.currentCaption.setObjectName(u"currentCaption")

        self.currentLayout.addWidget(self.currentCaption)

        self.currentNumber = QLabel(self.currentFrame)
        self.currentNumber.setObjectName(u"currentNumber")
        self.currentNumber.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.currentLayout.addWidget(self.currentNumber)

        self.currentInfo = QLabel(self.currentFrame)
        self.currentInfo.setObjectName(u"currentInfo")
        self.currentInfo.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.currentLayout.addWidget(self.currentInfo)

        self.waitLabel = QLabel(self.currentFrame)
        self.waitLabel.setObjectName(u"waitLabel")
        self.waitLabel.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.currentLayout.addWidget(self.waitLabel)


        self.panelLayout.addWidget(self.currentFrame)

        self.countsLabel = QLabel(QueuePanel)
        self.countsLabel.setObjectName(u"countsLabel")
        self.countsLabel.setWordWrap(True)

        self.panelLayout.addWidget(self.countsLabel)

        self.buttonGrid = QGridLayout()
        self.buttonGrid.setSpacing(6)
        self.buttonGrid.setObjectName(u"buttonGrid")
        self.callNextButton = QPushButton(QueuePanel)
        self.callNextButton.setObjectName(u"callNextButton")
        self.callNextButton.setMinimumSize(QSize(110, 64))
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.callNextButton.sizePolicy().hasHeightForWidth())
        self.callNextButton.setSizePolicy(sizePolicy)
        self.callNextButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.callNextButton, 0, 0, 1, 1)

        self.recallButton = QPushButton(QueuePanel)
        self.recallButton.setObjectName(u"recallButton")
        self.recallButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.recallButton.sizePolicy().hasHeightForWidth())
        self.recallButton.setSizePolicy(sizePolicy)
        self.recallButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.recallButton, 0, 1, 1, 1)

        self.noShowButton = QPushButton(QueuePanel)
        self.noShowButton.setObjectName(u"noShowButton")
        self.noShowButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.noShowButton.sizePolicy().hasHeightForWidth())
        self.noShowButton.setSizePolicy(sizePolicy)
        self.noShowButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.noShowButton, 1, 0, 1, 1)

        self.serviceButton = QPushButton(QueuePanel)
        self.serviceButton.setObjectName(u"serviceButton")
        self.serviceButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.serviceButton.sizePolicy().hasHeightForWidth())
        self.serviceButton.setSizePolicy(sizePolicy)
        self.serviceButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.serviceButton, 1, 1, 1, 1)

        self.transferButton = QPushButton(QueuePanel)
        self.transferButton.setObjectName(u"transferButton")
        self.transferButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.transferButton.sizePolicy().hasHeightForWidth())
        self.transferButton.setSizePolicy(sizePolicy)
        self.transferButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.transferButton, 2, 0, 1, 1)

        self.parkButton = QPushButton(QueuePanel)
        self.parkButton.setObjectName(u"parkButton")
        self.parkButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.parkButton.sizePolicy().hasHeightForWidth())
        self.parkButton.setSizePolicy(sizePolicy)
        self.parkButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.parkButton, 2, 1, 1, 1)

        self.pauseButton = QPushButton(QueuePanel)
        self.pauseButton.setObjectName(u"pauseButton")
        self.pauseButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.pauseButton.sizePolicy().hasHeightForWidth())
        self.pauseButton.setSizePolicy(sizePolicy)
        self.pauseButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.pauseButton, 3, 0, 1, 1)

        self.walkinButton = QPushButton(QueuePanel)
        self.walkinButton.setObjectName(u"walkinButton")
        self.walkinButton.setMinimumSize(QSize(110, 64))
        sizePolicy.setHeightForWidth(self.walkinButton.sizePolicy().hasHeightForWidth())
        self.walkinButton.setSizePolicy(sizePolicy)
        self.walkinButton.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.buttonGrid.addWidget(self.walkinButton, 3, 1, 1, 1)


        self.panelLayout.addLayout(self.buttonGrid)

        self.numberLayout = QHBoxLayout()
        self.numberLayout.setObjectName(u"numberLayout")
        self.numberLabel = QLabel(QueuePanel)
        self.numberLabel.setObjectName(u"numberLabel")

        self.numberLayout.addWidget(self.numberLabel)

        self.numberEdit = QLineEdit(QueuePanel)
        self.numberEdit.setObjectName(u"numberEdit")
        self.numberEdit.setMaxLength(32)
        self.numberEdit.setClearButtonEnabled(True)

        self.numberLayout.addWidget(self.numberEdit)


        self.panelLayout.addLayout(self.numberLayout)

        self.parkedCaption = QLabel(QueuePanel)
        self.parkedCaption.setObjectName(u"parkedCaption")

        self.panelLayout.addWidget(self.parkedCaption)

        self.parkedList = QListWidget(QueuePanel)
        self.parkedList.setObjectName(u"parkedList")
        self.parkedList.setMaximumSize(QSize(16777215, 90))

        self.panelLayout.addWidget(self.parkedList)

#if QT_CONFIG(shortcut)
        self.numberLabel.setBuddy(self.numberEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(QueuePanel)

        QMetaObject.connectSlotsByName(QueuePanel)
    # setupUi

    def retranslateUi(self, QueuePanel):
        QueuePanel.setWindowTitle(QCoreApplication.translate("QueuePanel", u"\u6392\u961f\u53eb\u53f7", None))
        self.titleLabel.setText(QCoreApplication.translate("QueuePanel", u"\u6392\u961f\u53eb\u53f7", None))
        self.connectionLabel.setText("")
        self.currentCaption.setText(QCoreApplication.translate("QueuePanel", u"\u5f53\u524d\u53f7", None))
        self.currentNumber.setText(QCoreApplication.translate("QueuePanel", u"\u2014", None))
        self.currentInfo.setText("")
        self.waitLabel.setText("")
        self.countsLabel.setText("")
        self.callNextButton.setText(QCoreApplication.translate("QueuePanel", u"\u53eb\u53f7\n"
"F1", None))
        self.recallButton.setText(QCoreApplication.translate("QueuePanel", u"\u91cd\u547c\n"
"F2", None))
        self.noShowButton.setText(QCoreApplication.translate("QueuePanel", u"\u8fc7\u53f7\n"
"F3", None))
        self.serviceButton.setText(QCoreApplication.translate("QueuePanel", u"\u5f00\u59cb\u529e\u7406\n"
"F4", None))
        self.transferButton.setText(QCoreApplication.translate("QueuePanel", u"\u8f6c\u79fb\n"
"F5", None))
        self.parkButton.setText(QCoreApplication.translate("QueuePanel", u"\u6302\u8d77\n"
"F6", None))
        self.pauseButton.setText(QCoreApplication.translate("QueuePanel", u"\u6682\u79bb\n"
"F7", None))
        self.walkinButton.setText(QCoreApplication.translate("QueuePanel", u"\u53d1\u672c\u7a97\u53e3\u53f7", None))
        self.numberLabel.setText(QCoreApplication.translate("QueuePanel", u"\u6309\u53f7\u7801\u53eb\u53f7(&N)\uff1a", None))
        self.numberEdit.setPlaceholderText(QCoreApplication.translate("QueuePanel", u"\u5982 B012\uff0c\u56de\u8f66\u53eb\u53f7", None))
        self.parkedCaption.setText(QCoreApplication.translate("QueuePanel", u"\u6302\u8d77\u7684\u53f7\uff08\u9009\u4e2d\u540e\u6309 F6 \u6062\u590d\uff09", None))
    # retranslateUi

